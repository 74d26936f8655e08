package dev.cairn.cli;

import picocli.CommandLine;

/** Entry point of the {@code cairn} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code, without exiting. */
  public static int run(String... args) {
    return CairnCommand.commandLine().execute(args);
  }

  /** Runs a command line with the given output streams; for tests and embedding. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = CairnCommand.commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }
}
