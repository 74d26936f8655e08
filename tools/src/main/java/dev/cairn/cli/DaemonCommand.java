package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn daemon start|stop|status}: listed here for help; {@code bin/cairn} runs it, since
 * starting the daemon means starting a JVM with the launcher's options (tools/README.md).
 */
@Command(name = "daemon", description = "Keep a warm cairn for the commands run from this folder (start|stop|status). Run through "
    + "bin/cairn, which starts the daemon's JVM; see tools/README.md.")
final class DaemonCommand implements Callable<Integer> {
  @Mixin HelpOption help;

  @Parameters(paramLabel = "ACTION", description = "start, stop or status", defaultValue = "status")
  String action;

  @Option(names = "--json", description = "With status: print it as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String command = "daemon " + action + (json ? " --json" : "");
    spec.commandLine().getErr().println("cairn: '" + command + "' is run by the bin/cairn launcher, which starts the daemon's JVM:"
        + " run 'bin/cairn " + command + "' from the folder the daemon serves (options such as --repo do not apply to it)");
    return ErrorHandler.FAILED;
  }
}
