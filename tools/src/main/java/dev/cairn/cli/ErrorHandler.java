package dev.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns any failure into one line on stderr and a non-zero exit; {@code --debug} adds the trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    boolean debug = parsed.hasMatchedOption("--debug")
        || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = e.getClass().getSimpleName();
    }
    cl.getErr().println("cairn: " + msg.lines().findFirst().orElse(msg));
    if (debug) {
      e.printStackTrace(cl.getErr());
    }
    return 1;
  }
}
