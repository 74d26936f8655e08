package dev.cairn.cli;

import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.index.IndexEnvironment;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Entry point of the {@code cairn} command line. */
public final class Main {
  private Main() {}

  /** What an interruption tells the user to run until a command says otherwise. */
  public static final String DEFAULT_HINT = "run the command again to finish it";
  /** Set once the command has returned: a shutdown before then is an interruption (Ctrl-C). */
  private static volatile boolean returned;
  /** What the interruption message tells the user to run, once a command has done part of its work. */
  private static volatile String resumeHint = DEFAULT_HINT;
  /** Where hints go as well: the daemon relays them to its client, which prints the last on Ctrl-C. */
  private static volatile Consumer<String> hintRelay = hint -> {};

  public static void main(String[] args) {
    quietLibraryLogs(args);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!returned) {
        // What the command had not published is discarded by the other hooks and the next gc.
        System.err.println("cairn: interrupted; nothing half-written is visible, " + resumeHint);
        System.err.flush();
      }
    }, "cairn-interrupted"));
    if (System.getenv("CAIRN_TIMING") == null) {
      int exit = run(args);
      // A command that ended because Ctrl-C took its temporary folders away has not returned of itself.
      returned = !ExitCleanup.exiting();
      System.exit(exit);
    }
    // For benchmarks: how much of a command's time is JVM start, how much the command.
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    int exit = run(args);
    returned = true;
    System.out.flush();
    System.err.printf("cairn-timing jvm_start_ms=%d command_ms=%.1f exit=%d%n", jvmStartMs, (System.nanoTime() - t0) / 1e6, exit);
    System.exit(exit);
  }

  /** Held: java.util.logging keeps loggers weakly, and a logger collected forgets its level. */
  private static final java.util.logging.Logger CAIRN_LOGS = java.util.logging.Logger.getLogger("dev.cairn");

  /**
   * Keeps what libraries log through java.util.logging below SEVERE off the terminal (the GCS
   * connector's INFO lines about its retries and metrics, say), where a command speaks for itself,
   * a failure in one line; Cairn's own warnings still reach the command's output, and {@code --debug}
   * lets everything through.
   */
  public static void quietLibraryLogs(String[] args) {
    if (java.util.Arrays.asList(args).contains("--debug")) {
      return;
    }
    CAIRN_LOGS.setLevel(java.util.logging.Level.INFO);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
  }

  /**
   * Sets what an interruption from now on tells the user to run, e.g. once {@code close} has closed
   * a version and goes on to upload it, where running {@code close} again would be refused.
   */
  static void onInterruptSuggest(String hint) {
    resumeHint = hint;
    hintRelay.accept(hint);
  }

  /**
   * Hands every hint from now on to {@code relay} as well (the daemon, which runs commands for a
   * client that the user interrupts, not for its own JVM); null stops that.
   */
  public static void relayHints(Consumer<String> relay) {
    hintRelay = relay == null ? hint -> {} : relay;
  }

  /** For commands that run until Ctrl-C ({@code serve}): their end is not an interruption. */
  static void endsWithInterrupt() {
    returned = true;
  }

  /** Runs a command line and returns its exit code, without exiting. */
  public static int run(String... args) {
    if (CairnCommand.needsIndexSoon(args)) {
      IndexEnvironment.preloadInBackground();
    }
    try {
      CommandLine cl = CairnCommand.commandLine(args);
      PrintWriter out = StandardOutput.writer();
      cl.setOut(out);
      int exit = cl.execute(args);
      if (exit == 0 && out.checkError()) { // help or the version, which no command checks
        return outputLost(new PrintWriter(System.err, true));
      }
      return exit;
    } catch (OutOfMemoryError e) {
      return outOfMemory(new PrintWriter(System.err, true), e);
    } catch (NoClassDefFoundError e) {
      return brokenBuild(new PrintWriter(System.err, true), e);
    }
  }

  /**
   * After standard output could not all be written: a reader gone ({@code | head}) ends the
   * process quietly, as SIGPIPE ends git's; a full disk is said. Returns the exit status.
   */
  static int outputLost(PrintWriter err) {
    if (StandardOutput.pipeClosed()) {
      return StandardOutput.PIPE_CLOSED;
    }
    err.println("cairn: " + OUTPUT_LOST);
    err.flush();
    return 1;
  }

  /** What a command whose output could not be written says; its work, done, stands. */
  static final String OUTPUT_LOST = "Cannot write all of the output (the disk is full?); what the command did stands";

  /** Runs a command line with the given output streams; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    try {
      return runOrThrow(out, err, false, args);
    } catch (OutOfMemoryError e) {
      return outOfMemory(err, e);
    } catch (NoClassDefFoundError e) {
      return brokenBuild(err, e);
    }
  }

  /**
   * Says on {@code err} that this build lacks a class a command needed (a library left out of the
   * jar, or a jar changed under the running JVM), in a line rather than a stack trace that would end
   * in "interrupted"; returns the failed command's exit code.
   */
  static int brokenBuild(PrintWriter err, NoClassDefFoundError e) {
    // As after any failure, what the command had not published stays invisible (atomic writes).
    err.println("cairn: this build lacks a class the command needs (" + String.valueOf(e.getMessage()).replace('/', '.')
        + "); nothing half-written is visible. Rebuild cairn (mvn install), and report it if that does not help");
    err.flush();
    return 1;
  }

  /**
   * Runs a command line with the given output streams; {@code terminal} says whether the caller has
   * a console (progress bars, coloured help). An {@link OutOfMemoryError} is left to the caller, which
   * may have to stop (the resident daemon does).
   */
  public static int runOrThrow(PrintWriter out, PrintWriter err, boolean terminal, String... args) {
    CommandLine cl = CairnCommand.commandLine(args);
    cl.setOut(out);
    cl.setErr(err);
    // Picocli colours help on a console; here the caller says whether there is one.
    boolean colour = terminal && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(colour ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    TerminalProgress.assumeTerminal(terminal);
    try {
      return cl.execute(args);
    } finally {
      TerminalProgress.assumeTerminal(null);
    }
  }

  /** Says on {@code err} what to do after running out of memory; returns the failed command's exit code. */
  public static int outOfMemory(PrintWriter err, OutOfMemoryError e) {
    // Nothing half-written is visible (every write path publishes atomically); say what to do.
    err.println("cairn: out of memory (" + e.getMessage() + "); give the JVM more heap, e.g. CAIRN_JAVA_OPTS=-Xmx"
        + Math.max(1, 2 * Runtime.getRuntime().maxMemory() >> 30) + "g, and run the command again");
    err.flush();
    return ErrorHandler.FAILED;
  }

  /** The name of the subcommand {@code args} run, or null when they name none (help, usage errors). */
  public static String subcommandName(String... args) {
    return CairnCommand.subcommandNameOf(args);
  }
}
