package dev.cairn.cli.daemon;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the {@code cairn} client ({@code bin/cairn-client}, a Perl script that starts in a few
 * milliseconds) and the resident process say to each other over their Unix socket. Both come from
 * one checkout, and the jar's stamp is part of every request, so the format needs no versioning
 * beyond {@link #MAGIC}. Integers are 32-bit big-endian; a string is a count, then that many bytes.
 *
 * <p>Request, client to daemon: {@code MAGIC}; the strings jar stamp, working directory (physical,
 * as {@code pwd -P} prints it) and umask; one byte, 1 when stdin and stdout are terminals (what the
 * JVM calls a console: progress bars and colours); the count of environment entries, then each as a
 * {@code NAME=value} string; the count of arguments, then each. Strings are bytes as the shell gave
 * them; the daemon decodes them as the JVM decodes its own command line. The socket's folder is the
 * user's own, of mode 700 (the launcher checks), so no other user can reach the socket; the daemon
 * also checks the client's user through the kernel before it reads a request ({@link #sameUser}).
 *
 * <p>Reply, daemon to client: one byte, {@link #ACCEPTED} or {@link #DECLINED} (then a reason
 * string, and nothing else: the client runs the command in a JVM of its own). After
 * {@code ACCEPTED}, frames of one type byte and an int: {@link #STDOUT} and {@link #STDERR} with that
 * many bytes, {@link #HINT} with that many bytes of what to run if the command is interrupted from
 * now on (the client prints the last one it got on Ctrl-C), and {@link #EXIT} whose int is the exit
 * code and which ends the reply. A client that closes its end before {@code EXIT} (Ctrl-C) stops the
 * daemon at once, as it would stop its own JVM.
 * The format is spelled out again in {@code bin/cairn-client}, and {@code DaemonTest} runs that
 * script against this class.
 */
final class DaemonProtocol {
  static final int MAGIC = 0x4341_4952; // "CAIR"
  static final byte ACCEPTED = 'A';
  static final byte DECLINED = 'D';
  static final byte STDOUT = 'O';
  static final byte STDERR = 'E';
  static final byte HINT = 'H';
  static final byte EXIT = 'X';

  /** Exit code of the client when the daemon declined or could not be reached: run the command in a JVM of its own. */
  static final int NOT_SERVED = 75;

  private DaemonProtocol() {}

  /** Prefixes of the variables Cairn, Hadoop's file systems, the JVM and the terminal read. */
  private static final String[] PREFIXES = {"CAIRN_", "HADOOP_", "AWS_", "GOOGLE_", "AZURE_", "KRB5", "LC_", "CLICOLOR"};

  /** Single variables of the same kind. */
  private static final Set<String> NAMES = Set.of("HOME", "USER", "TZ", "LANG", "HOSTNAME", "JAVA_HOME",
      "TMPDIR", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "NO_COLOR", "TERM", "http_proxy", "https_proxy",
      "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY");

  /**
   * The environment variables a command or a library it calls may read: a request whose values
   * differ from the daemon's is declined. {@code CAIRN_TIMING} and {@code CAIRN_DAEMON*} only
   * steer the launcher and the client.
   */
  static Map<String, String> relevantEnvironment(Map<String, String> env) {
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey();
      if (k.equals("CAIRN_TIMING") || k.startsWith("CAIRN_DAEMON")) {
        continue;
      }
      boolean relevant = NAMES.contains(k);
      for (int i = 0; i < PREFIXES.length && !relevant; i++) {
        relevant = k.startsWith(PREFIXES[i]);
      }
      if (relevant) {
        m.put(k, e.getValue());
      }
    }
    return m;
  }

  /** SHA-256 of the relevant environment, names and values, in name order. */
  static String environmentDigest(Map<String, String> env) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : relevantEnvironment(env).entrySet()) {
        md.update((e.getKey() + "=" + e.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
      }
      StringBuilder hex = new StringBuilder();
      for (byte b : md.digest()) {
        hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Whether the process at the other end runs as the user who owns the socket's folder (the
   * kernel's peer credentials).
   */
  static boolean sameUser(SocketChannel ch, Path socket) throws IOException {
    UserPrincipal peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
    return peer.equals(Files.getOwner(socket.toAbsolutePath().getParent()));
  }

  /** The charset of the JVM's command line, environment and file names. */
  static Charset platformCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException unknown) {
      return Charset.defaultCharset();
    }
  }

  /** Limits what a malformed request can make the daemon allocate. */
  private static final int MAX_STRING = 16 << 20;
  private static final int MAX_COUNT = 1 << 20;

  static String readString(DataInputStream in, Charset cs) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_STRING) {
      throw new IOException("bad string length " + n);
    }
    return new String(in.readNBytes(n), cs);
  }

  static int readCount(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  /**
   * Reads the channel directly. ({@code Channels.newInputStream} holds the channel's blocking lock
   * while it waits, which would stop the daemon's frames while its watcher waits for the client.)
   */
  static InputStream input(SocketChannel ch) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  /** Writes the channel directly, each call whole. */
  static OutputStream output(SocketChannel ch) {
    return slices((b, off, len) -> {
      ByteBuffer bb = ByteBuffer.wrap(b, off, len);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
    });
  }

  /** Where an output stream of {@link #slices} sends its bytes: one call per non-empty write. */
  interface Slices {
    void write(byte[] b, int off, int len) throws IOException;
  }

  /** An output stream that hands each write, a single byte included, to {@code sink} as one slice. */
  static OutputStream slices(Slices sink) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        sink.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
          sink.write(b, off, len);
        }
      }
    };
  }
}
