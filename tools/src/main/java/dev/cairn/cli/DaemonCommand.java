package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn daemon start|stop|status}: listed here for help; {@code bin/cairn} runs it, since
 * starting the daemon means starting a JVM with the launcher's options (tools/README.md).
 */
@Command(name = "daemon", description = "Keep a warm cairn for the commands run from this folder (start|stop|status). Run through "
    + "bin/cairn, which starts the daemon's JVM; see tools/README.md.")
final class DaemonCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin HelpOption help;

  @Parameters(paramLabel = "ACTION", description = "start, stop or status", defaultValue = "status")
  String action;

  @picocli.CommandLine.Option(names = "--json", description = "With status: print it as JSON.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String command = "daemon " + action + (json ? " --json" : "");
    spec.commandLine().getErr().println("cairn: '" + command + "' is run by the bin/cairn launcher, which starts the daemon's JVM, when it"
        + " comes first: run 'bin/cairn " + command + "' from the folder the daemon serves (options such as --repo do not apply to it)");
    return ErrorHandler.FAILED;
  }
}
