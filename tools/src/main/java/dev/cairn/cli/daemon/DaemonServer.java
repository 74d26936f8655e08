package dev.cairn.cli.daemon;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.cairn.cli.Main;
import dev.cairn.internal.fs.ExitCleanup;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A resident {@code cairn} for one working folder ({@code cairn daemon start}): runs the commands
 * that its client ({@code bin/cairn-client}) hands it, one at a time, in a JVM that has already loaded and compiled
 * them. A command costs its own work only: no JVM start, no class loading, no picocli set-up, no
 * code running in the interpreter (an unchanged re-sync of 6,330 files: about 45 ms in the daemon,
 * against 0.5 s for the command in a JVM of its own; benchmarks/RESULTS.md, "Seventh round").
 *
 * <p>It serves only requests it can run exactly as a JVM of the client's own would: the same build
 * (the jar's stamp), the same working folder (relative paths mean the same files; a folder deleted
 * and made again under the same name also stops the daemon), umask and environment
 * ({@link DaemonProtocol#relevantEnvironment}), from the same user, and not {@code serve} or
 * {@code quickstart}. It declines the others, and any request while a command runs, and the client
 * then runs the command itself. A client that goes away before its command ends (Ctrl-C) stops the
 * daemon at once: the command stops where it was, as in its own JVM, and every write path is
 * crash-safe. The daemon stops after {@code --idle-minutes} without a command, on SIGTERM
 * ({@code cairn daemon stop}), when it meets a request from another build, and after a command
 * that ended with an error of the JVM itself (out of memory, say), once it has replied.
 *
 * <p>The socket lives in a folder only its user can open ({@code bin/cairn} makes it, mode 700); next
 * to it, {@code SOCKET.pid} holds the daemon's process id and {@code SOCKET.log} its log.
 */
public final class DaemonServer {
  /** Why a daemon declines, then stops, when its folder was deleted and made again under the same name. */
  private static final String REPLACED = "the folder was replaced since the daemon started";

  /** Commands that run in a JVM of their own: a web server and the demo (which builds the jar). */
  private static final Set<String> NOT_HERE = Set.of("serve", "quickstart");

  /** The heap a command may leave committed before the daemon collects to give memory back. */
  private static final long SHRINK_ABOVE = 96L << 20;

  /** How long a request waits for the previous command's end before it is declined as busy. */
  private static final long BUSY_WAIT_NANOS = 300_000_000L;

  private final Path socket;
  private final Path pidFile;
  private final String stamp;
  private final String umask;
  private final long idleNanos;
  private final String cwd = Path.of("").toAbsolutePath().toString();
  private final Object cwdKey = folderKey(Path.of("."));
  private final String env = DaemonProtocol.environmentDigest(System.getenv());
  private final AtomicBoolean busy = new AtomicBoolean();
  /** Set once the daemon is going away: a request that reaches it still is declined, and its client runs the command itself. */
  private volatile boolean stopping;
  /** Set once the JVM is exiting (its shutdown hooks run): the command running now is being cut off. */
  private volatile boolean terminating;
  private volatile long lastUsed = System.nanoTime();
  private volatile ServerSocketChannel server;

  DaemonServer(Path socket, String stamp, String umask, long idleMinutes) {
    this.socket = socket;
    this.pidFile = Path.of(socket + ".pid");
    this.stamp = stamp;
    this.umask = umask;
    this.idleNanos = idleMinutes * 60_000_000_000L;
  }

  public static void main(String[] args) throws IOException {
    Main.quietLibraryLogs(new String[0]); // its log keeps Cairn's lines, not libraries' chatter
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    if (!opts.containsKey("--socket") || !opts.containsKey("--stamp") || !opts.containsKey("--umask")) {
      System.err.println("cairn daemon: usage: DaemonServer --socket PATH --stamp STAMP --umask UMASK [--idle-minutes N]");
      System.exit(2);
    }
    long idle = Long.parseLong(opts.getOrDefault("--idle-minutes", "180"));
    new DaemonServer(Path.of(opts.get("--socket")), opts.get("--stamp"), opts.get("--umask"), idle).serve();
  }

  /** Warms up, binds the socket, then serves until stopped; then ends the JVM. */
  void serve() throws IOException {
    long started = System.nanoTime();
    int commands = DaemonWarmUp.run();
    log("warmed up: " + commands + " commands in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    shrinkHeap();
    if (answers(socket)) {
      log("another daemon answers on " + socket + ": not starting");
      System.exit(1);
    }
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    String pid = Long.toString(ProcessHandle.current().pid());
    Path tmp = Path.of(pidFile + ".tmp");
    Files.writeString(tmp, pid + "\n" + stamp + "\n");
    Files.move(tmp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      terminating = true; // cairn daemon stop (a SIGTERM): no new command, and the running one told it was cut off
      removeFiles();
    }));
    Thread idle = new Thread(this::stopWhenIdle, "cairn-daemon-idle");
    idle.setDaemon(true);
    idle.start();
    log("serving " + cwd + " (pid " + pid + ")");
    while (true) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException stopped) {
        break;
      }
      Thread t = new Thread(() -> handle(ch), "cairn-daemon-request");
      t.start();
    }
    // A command still running finishes; threads a library may have left behind do not keep
    // the JVM alive once the socket is gone.
    while (busy.get()) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        break;
      }
    }
    log("stopped");
    System.exit(0);
  }

  /** Whether a daemon accepts connections on {@code socket} (a socket file alone may be stale). */
  private static boolean answers(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Object folderKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Between commands the daemon needs little more than the code it has loaded and compiled: a full
   * collection after a command that grew the heap lets the serial collector give the memory back,
   * so that a resident daemon does not keep the peak of its largest command. The collection runs
   * with tight free-space ratios (20-40%: the heap shrinks to about 1.7 times its live data); the
   * launcher's loose ones (60-90%, and a young generation as large as the old) are put back for
   * the commands, which would otherwise collect hundreds of times in a small heap (benchmarks/
   * RESULTS.md, eighth round: 458 collections and 1.7 s of a 2 GiB ingest, against 130 and 0.4 s).
   */
  private static void shrinkHeap() {
    if (Runtime.getRuntime().totalMemory() <= SHRINK_ABOVE) {
      return;
    }
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = vm.getVMOption("MinHeapFreeRatio").getValue();
    String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
    setRatios(vm, "20", "40");
    System.gc();
    setRatios(vm, min, max);
  }

  /** Sets both ratios, in the order that keeps the minimum at most the maximum at every step. */
  private static void setRatios(HotSpotDiagnosticMXBean vm, String min, String max) {
    try {
      boolean lower = Integer.parseInt(min) < Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue());
      if (lower) {
        vm.setVMOption("MinHeapFreeRatio", min);
        vm.setVMOption("MaxHeapFreeRatio", max);
      } else {
        vm.setVMOption("MaxHeapFreeRatio", max);
        vm.setVMOption("MinHeapFreeRatio", min);
      }
    } catch (IllegalArgumentException refused) {
      // ratios of the user's own (CAIRN_JAVA_OPTS) that these would contradict: theirs stay
    }
  }

  /**
   * Takes the daemon for one command. A request that arrives while the previous command's reply
   * has gone but its heap is being shrunk (a script's next command) waits for that, briefly.
   */
  private boolean acquire() {
    long deadline = System.nanoTime() + BUSY_WAIT_NANOS;
    while (!busy.compareAndSet(false, true)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void handle(SocketChannel ch) {
    try (ch) {
      if (!DaemonProtocol.sameUser(ch, socket)) {
        log("a connection from another user: refused");
        return;
      }
      Request r;
      try {
        r = Request.read(new DataInputStream(new BufferedInputStream(DaemonProtocol.input(ch), 8192)));
      } catch (IOException e) {
        return; // not a client of ours, or one that went away
      }
      OutputStream raw = DaemonProtocol.output(ch);
      String why = refusal(r);
      if (why == null && !acquire()) {
        why = "busy with another command";
      } else if (why == null && isStopping()) {
        busy.set(false);
        why = STOPPING;
      }
      if (why != null) {
        decline(raw, why);
        if (!stamp.equals(r.stamp)) {
          log("a request from another build (" + r.stamp + "): stopping");
          stop();
        } else if (why.startsWith(REPLACED)) {
          log(why + ": stopping");
          stop();
        }
        return;
      }
      try {
        run(ch, raw, r);
      } finally {
        lastUsed = System.nanoTime();
        busy.set(false);
      }
    } catch (IOException e) {
      log("request failed: " + e);
    }
  }

  private static final String STOPPING = "stopping";

  /** Whether the daemon is going away: stopped, or its JVM exiting (a SIGTERM from cairn daemon stop). */
  private boolean isStopping() {
    return stopping || isTerminating();
  }

  private boolean isTerminating() {
    return terminating || ExitCleanup.exiting();
  }

  /** Why the request cannot run here, or null. */
  private String refusal(Request r) {
    if (isStopping()) {
      return STOPPING;
    }
    if (!stamp.equals(r.stamp)) {
      return "another build of cairn";
    }
    if (!cwd.equals(r.cwd)) {
      return "serves " + cwd + ", not " + r.cwd;
    }
    if (cwdKey == null || !cwdKey.equals(folderKey(Path.of(r.cwd)))) {
      return REPLACED + " (" + cwd + ")";
    }
    if (!umask.equals(r.umask)) {
      return "umask " + r.umask + " differs from the daemon's " + umask;
    }
    if (!env.equals(r.env)) {
      return "environment differs from the daemon's";
    }
    String name = Main.subcommandName(r.args);
    if (name != null && NOT_HERE.contains(name)) {
      return name + " runs in a JVM of its own";
    }
    for (int i = 0; i < r.args.length; i++) {
      String arg = r.args[i];
      if (namesOwnStream(arg)) {
        return "an argument names the client's own streams (" + arg + "), which are not the daemon's";
      }
      if (arg.equals("--lock=-") || arg.equals("--lock") && i + 1 < r.args.length && r.args[i + 1].equals("-")) {
        return "get --lock - reads the client's standard input, which the daemon cannot";
      }
    }
    return null;
  }

  /**
   * Whether an argument (as a value, or after an option's '=') names a file that is the process's
   * own streams or descriptors: {@code --output /dev/stdout} opened here would write into the
   * daemon's log, {@code --lock /dev/stdin} would read the daemon's.
   */
  static boolean namesOwnStream(String arg) {
    String value = arg.startsWith("-") && arg.indexOf('=') > 0 ? arg.substring(arg.indexOf('=') + 1) : arg;
    return value.matches("/dev/(stdin|stdout|stderr|tty|fd/.*)|/proc/(self|thread-self)/.*");
  }

  private static void decline(OutputStream raw, String why) throws IOException {
    byte[] b = why.getBytes(StandardCharsets.UTF_8);
    ByteBuffer msg = ByteBuffer.allocate(5 + b.length).put(DaemonProtocol.DECLINED).putInt(b.length).put(b);
    raw.write(msg.array());
  }

  private void run(SocketChannel ch, OutputStream raw, Request r) throws IOException {
    raw.write(DaemonProtocol.ACCEPTED);
    AtomicBoolean done = new AtomicBoolean();
    watchForHangUp(ch, done);
    Frames frames = new Frames(raw);
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(frames.stream(DaemonProtocol.STDOUT), cs), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(frames.stream(DaemonProtocol.STDERR), cs), true);
    long t0 = System.nanoTime();
    int code;
    boolean damaged = false;
    String[] hint = {Main.DEFAULT_HINT};
    frames.hint(hint[0], err);
    Main.relayHints(h -> {
      hint[0] = h;
      frames.hint(h, err);
    });
    try {
      code = Main.runOrThrow(out, err, r.terminal, r.args);
      if (code != 0 && isTerminating()) {
        // Stopped under the command (cairn daemon stop): said as a command's own JVM says its
        // interruption, where the command's own error, which the interruption caused, is not.
        err.println("cairn: interrupted (the daemon was stopped); nothing half-written is visible, " + hint[0]);
      }
    } catch (OutOfMemoryError e) {
      code = Main.outOfMemory(err, e);
      damaged = true;
    } catch (Throwable t) {
      // What a JVM of its own would print before it ended; this one may not be sound any more.
      err.print("Exception in thread \"main\" ");
      t.printStackTrace(err);
      code = 1;
      damaged = true;
    }
    Main.relayHints(null);
    out.flush();
    err.flush();
    done.set(true);
    frames.exit(code);
    String name = Main.subcommandName(r.args);
    log((name == null ? "(no command)" : name) + " exit " + code + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    shrinkHeap();
    if (damaged) {
      log("the command ended with an error of the JVM: stopping");
      stop();
    }
  }

  /**
   * Stops the daemon at once if the client closes its end before the exit frame: the client's
   * Ctrl-C stops the command, as it would stop the command's own JVM.
   */
  private void watchForHangUp(SocketChannel ch, AtomicBoolean done) {
    Thread w = new Thread(() -> {
      ByteBuffer b = ByteBuffer.allocate(64);
      try {
        while (ch.read(b.clear()) >= 0) {
          // a client sends nothing after its request
        }
      } catch (IOException e) {
        // closed: the same as an end of stream
      }
      if (!done.get()) {
        // First no new command: its client would see it cut off by the halt below.
        stopping = true;
        removeFiles();
        log("the client went away during its command: stopping now");
        // What Ctrl-C does to a command in its own JVM: its steps undone, its temporary folders deleted.
        ExitCleanup.cleanUpNow();
        removeFiles();
        Runtime.getRuntime().halt(130);
      }
    }, "cairn-daemon-hangup");
    w.setDaemon(true);
    w.start();
  }

  private void stopWhenIdle() {
    while (true) {
      try {
        Thread.sleep(Math.min(60_000L, Math.max(1000L, idleNanos / 1_000_000 / 10)));
      } catch (InterruptedException e) {
        return;
      }
      if (!busy.get() && System.nanoTime() - lastUsed > idleNanos) {
        log("idle for " + idleNanos / 60_000_000_000L + " minutes: stopping");
        stop();
        return;
      }
    }
  }

  /** Stops accepting; the accept loop then ends, and with it the JVM (a running command finishes first). */
  void stop() {
    stopping = true;
    removeFiles();
    try {
      server.close();
    } catch (IOException e) {
      // closing a listening socket does not fail in practice; the JVM ends anyway
    }
  }

  /** Removes the socket and the pid file, unless another daemon has taken them over. */
  private synchronized void removeFiles() {
    try {
      String mine = Long.toString(ProcessHandle.current().pid());
      if (Files.exists(pidFile) && Files.readAllLines(pidFile).stream().findFirst().orElse("").equals(mine)) {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(pidFile);
      }
    } catch (IOException e) {
      // best effort: a stale socket only makes the next client run the command itself
    }
  }

  private static void log(String line) {
    System.out.println(Instant.now() + " " + line);
    System.out.flush();
  }

  /** One command's request, as {@link DaemonProtocol} lays it out. */
  record Request(String stamp, String cwd, String umask, boolean terminal, String env, String[] args) {
    /**
     * Reads a request. Its strings are the bytes the client's shell gave it, decoded as the JVM
     * decodes its own command line and environment ({@code sun.jnu.encoding}, which the daemon shares
     * with the client: the locale's variables are part of the compared environment).
     */
    static Request read(DataInputStream in) throws IOException {
      if (in.readInt() != DaemonProtocol.MAGIC) {
        throw new IOException("not a cairn client");
      }
      Charset cs = DaemonProtocol.platformCharset();
      String stamp = DaemonProtocol.readString(in, cs);
      String cwd = DaemonProtocol.readString(in, cs);
      String umask = DaemonProtocol.readString(in, cs);
      boolean terminal = in.readBoolean();
      Map<String, String> env = new TreeMap<>();
      for (int i = DaemonProtocol.readCount(in); i > 0; i--) {
        String entry = DaemonProtocol.readString(in, cs);
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      List<String> args = new ArrayList<>();
      for (int i = DaemonProtocol.readCount(in); i > 0; i--) {
        args.add(DaemonProtocol.readString(in, cs));
      }
      return new Request(stamp, cwd, umask, terminal, DaemonProtocol.environmentDigest(env), args.toArray(String[]::new));
    }
  }

  /** The reply's frames: stdout and stderr as the command writes them, then the exit code. */
  private static final class Frames {
    private final OutputStream raw;

    Frames(OutputStream raw) {
      this.raw = raw;
    }

    OutputStream stream(byte type) {
      return DaemonProtocol.slices((b, off, len) -> frame(type, len, b, off));
    }

    /** Sends what the client prints if the command is interrupted from now on; err is flushed first, to keep their order. */
    void hint(String hint, PrintWriter err) {
      err.flush();
      byte[] b = hint.getBytes(Charset.defaultCharset());
      try {
        frame(DaemonProtocol.HINT, b.length, b, 0);
      } catch (IOException gone) {
        // the client went away: the hang-up watch stops the daemon
      }
    }

    void exit(int code) throws IOException {
      frame(DaemonProtocol.EXIT, code, null, 0);
    }

    private synchronized void frame(byte type, int n, byte[] b, int off) throws IOException {
      ByteBuffer h = ByteBuffer.allocate(5).put(type).putInt(n);
      raw.write(h.array());
      if (b != null) {
        raw.write(b, off, n);
      }
    }
  }
}
