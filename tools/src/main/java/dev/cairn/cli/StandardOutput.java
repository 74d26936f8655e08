package dev.cairn.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * This process's standard output as a writer that keeps what went wrong: {@code System.out}, a
 * PrintStream, keeps its write errors to itself, so that a full disk ({@code > /dev/full}) would
 * pass for a success. Written through the file descriptor, a failure sets the writer's error flag,
 * which each command checks, and is kept here to tell a reader gone ({@code | head}) from a
 * full disk.
 */
final class StandardOutput extends FilterOutputStream {
  /** The exit status of a process a closed pipe stopped (128 + SIGPIPE), as a shell reports git's. */
  static final int PIPE_CLOSED = 141;

  /** The first write failure of the standard output in use, or null. */
  private static volatile IOException failure;

  private StandardOutput() {
    super(new FileOutputStream(FileDescriptor.out));
  }

  /** A new writer on standard output, encoded as {@code System.out} encodes. */
  static PrintWriter writer() {
    failure = null;
    return new PrintWriter(new OutputStreamWriter(new StandardOutput(), encoding()), true);
  }

  /** Whether standard output failed because its reader went away (EPIPE), as {@code head} does. */
  static boolean pipeClosed() {
    IOException e = failure;
    return e != null && String.valueOf(e.getMessage()).contains("Broken pipe");
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** {@code System.out}'s charset ({@code PrintStream.charset()} from Java 18; before, the properties it read). */
  private static Charset encoding() {
    try {
      return (Charset) PrintStream.class.getMethod("charset").invoke(System.out);
    } catch (ReflectiveOperationException | RuntimeException beforeJava18) {
      String name = System.getProperty("sun.stdout.encoding");
      try {
        return name != null ? Charset.forName(name) : Charset.defaultCharset();
      } catch (RuntimeException unknown) {
        return Charset.defaultCharset();
      }
    }
  }
}
