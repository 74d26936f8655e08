package dev.cairn.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The {@code cairn} command line's front when a daemon serves the working folder ({@code bin/cairn}
 * runs it): hands the command to the daemon and relays its output and exit code. Its JVM loads
 * two small classes, so it starts in a third of the time of the full command line.
 *
 * <p>Arguments: the socket, the jar's stamp, the umask, then the command's own arguments. Exits
 * with {@link DaemonProtocol#NOT_SERVED}, having printed nothing, when the daemon cannot be reached
 * or declines; the launcher then runs the command itself.
 */
public final class DaemonClient {
  private DaemonClient() {}

  public static void main(String[] argv) {
    long t0 = System.nanoTime();
    int code;
    try {
      code = run(argv);
    } catch (IOException e) {
      code = DaemonProtocol.NOT_SERVED;
      if (System.getenv("CAIRN_DAEMON_DEBUG") != null) {
        System.err.println("cairn: daemon not reached: " + e);
      }
    }
    if (code != DaemonProtocol.NOT_SERVED && System.getenv("CAIRN_TIMING") != null) {
      long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      long start = uptime - (System.nanoTime() - t0) / 1_000_000;
      System.err.printf("cairn-timing jvm_start_ms=%d command_ms=%.1f exit=%d daemon=1%n", start, (System.nanoTime() - t0) / 1e6, code);
    }
    System.exit(code);
  }

  private static int run(String[] argv) throws IOException {
    if (argv.length < 3) {
      throw new IOException("usage: DaemonClient SOCKET STAMP UMASK ARGS...");
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(argv[0]));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(DaemonProtocol.output(ch), 8192));
      out.writeInt(DaemonProtocol.MAGIC);
      DaemonProtocol.writeString(out, argv[1]);
      DaemonProtocol.writeString(out, Path.of("").toAbsolutePath().toString());
      DaemonProtocol.writeString(out, argv[2]);
      out.writeBoolean(System.console() != null);
      DaemonProtocol.writeString(out, DaemonProtocol.environmentDigest(System.getenv()));
      out.writeInt(argv.length - 3);
      for (int i = 3; i < argv.length; i++) {
        DaemonProtocol.writeString(out, argv[i]);
      }
      out.flush();

      DataInputStream in = new DataInputStream(new BufferedInputStream(DaemonProtocol.input(ch), 65536));
      int answer = in.read();
      if (answer != DaemonProtocol.ACCEPTED) {
        String why = answer == DaemonProtocol.DECLINED ? DaemonProtocol.readString(in) : "no answer";
        throw new IOException("declined: " + why);
      }
      return relay(in, argv[0]);
    }
  }

  /** Copies the frames to stdout and stderr until the exit code. */
  private static int relay(DataInputStream in, String socket) {
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    OutputStream stderr = new FileOutputStream(FileDescriptor.err);
    boolean stdoutOpen = true;
    boolean stderrOpen = true;
    byte[] buf = new byte[65536];
    try {
      while (true) {
        byte type = in.readByte();
        int n = in.readInt();
        if (type == DaemonProtocol.EXIT) {
          return n;
        }
        while (n > 0) {
          int k = in.read(buf, 0, Math.min(n, buf.length));
          if (k < 0) {
            throw new EOFException();
          }
          n -= k;
          // A reader that went away (`cairn list | head`): the command still runs to its end, as
          // it would in its own JVM, whose writers ignore the broken pipe.
          if (type == DaemonProtocol.STDERR) {
            stderrOpen = stderrOpen && write(stderr, buf, k);
          } else {
            stdoutOpen = stdoutOpen && write(stdout, buf, k);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("cairn: the daemon stopped before the command ended (its log: " + socket + ".log)");
      return 1;
    }
  }

  /** Writes, and says whether the stream still takes bytes. */
  private static boolean write(OutputStream o, byte[] b, int n) {
    try {
      o.write(b, 0, n);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }
}
