package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn daemon start|stop|status}: listed here for help; {@code bin/cairn} runs it, since
 * starting the daemon means starting a JVM with the launcher's options (tools/README.md).
 */
@Command(name = "daemon", description = {"Keep a warm cairn for the commands run from this folder (start|stop|status).",
    "Run through bin/cairn, which starts the daemon's JVM; see tools/README.md."})
final class DaemonCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin HelpOption help;

  @Parameters(paramLabel = "ACTION", description = "start, stop or status", defaultValue = "status")
  String action;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("cairn: 'daemon " + action + "' is run by the bin/cairn launcher, which starts the daemon's JVM;"
        + " run: bin/cairn daemon " + action);
    return ErrorHandler.FAILED;
  }
}
