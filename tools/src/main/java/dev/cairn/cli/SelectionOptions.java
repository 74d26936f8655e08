package dev.cairn.cli;

import dev.cairn.dataset.Glob;
import dev.cairn.dataset.Selection;
import dev.cairn.errors.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --part K --num-parts N --filter GLOB...}: which files of a version a command takes ({@link Selection}). */
final class SelectionOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--part", paramLabel = "K", description = "Only part K (0-based) of --num-parts.")
  Integer part;

  @Option(names = "--num-parts", paramLabel = "N", description = "Split the version (with --filter, the files it selects) into N parts of about equal"
      + " bytes, contiguous in path order; no part is empty while there are at least N files.")
  Integer numParts;

  @Option(names = "--filter", paramLabel = "GLOB", arity = "1..*", description = "Only matching paths (a folder's name, with or without /, takes what it holds).")
  List<String> filters = new ArrayList<>();

  /** Whether any of the options was given. */
  boolean given() {
    return part != null || numParts != null || !filters.isEmpty();
  }

  /**
   * The selection the options make.
   *
   * @param command the command's name, for its errors
   * @throws InvalidInputException for a bad pattern
   * @throws ParameterException for a part without a number of parts (or the other way round) or numbers out of range, as
   *     for any option's value (exit code 2)
   */
  Selection selection(String command) throws InvalidInputException {
    if (numParts != null && numParts < 1) {
      throw new ParameterException(spec.commandLine(), "Cannot split a version into " + numParts + " parts: give --num-parts 1 or more");
    }
    if (part != null && numParts != null && (part < 0 || part >= numParts)) {
      throw new ParameterException(spec.commandLine(), "Cannot take part " + part + " of " + numParts + ": give --part 0"
          + (numParts > 1 ? " to " + (numParts - 1) : "") + " (parts are numbered from 0)");
    }
    if ((part == null) != (numParts == null)) {
      throw new ParameterException(spec.commandLine(), "Cannot " + command + ": --part K takes part K of --num-parts N; give both"
          + " (for example --part 0 --num-parts 4)");
    }
    List<Glob> globs = new ArrayList<>();
    for (String f : filters) {
      globs.add(Glob.parseFilter("filter", f));
    }
    return new Selection(part == null ? 0 : part, numParts == null ? 1 : numParts, globs);
  }
}
