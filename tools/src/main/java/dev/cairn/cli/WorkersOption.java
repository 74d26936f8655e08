package dev.cairn.cli;

import dev.cairn.dataset.MaxWorkers;
import java.io.IOException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --max-workers}, as clearml-data takes it: how many threads a command works with at once. */
final class WorkersOption {
  static final String NAME = "--max-workers";

  @Option(names = NAME, paramLabel = "N", description = "Use at most N threads at once: files read and hashed, packs uploaded,"
      + " reads from a remote, files written (default: one per core; uploads and reads from a remote: 4).")
  Integer maxWorkers;

  /**
   * The cap a command was given, set on its thread until closed; null when it takes no
   * {@code --max-workers} or was not given one. Refuses a number below 1.
   */
  static MaxWorkers capOf(picocli.CommandLine.Model.CommandSpec spec) throws IOException {
    picocli.CommandLine.Model.OptionSpec option = spec.findOption(NAME);
    Integer n = option == null ? null : option.getValue();
    if (n == null) {
      return null;
    }
    if (n < 1) {
      throw new ParameterException(spec.commandLine(), "Cannot use " + NAME + " " + n + ": give 1 or more threads");
    }
    return MaxWorkers.of(n);
  }
}
