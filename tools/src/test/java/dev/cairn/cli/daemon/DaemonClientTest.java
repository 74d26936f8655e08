package dev.cairn.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Perl client ({@code bin/cairn-client}) against a stand-in daemon that this test drives
 * frame by frame: what the client prints when it is interrupted mid-command.
 */
class DaemonClientTest {
  private static final Path CLIENT = Path.of("..", "bin", "cairn-client").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void ctrlCPrintsTheLastHintAndClosesTheConnection() throws Exception {
    String hint = "but 1234abcd is closed: run 'cairn upload --id 1234abcd' to finish uploading it";
    Interrupted r = interruptMidCommand("INT", dev.cairn.cli.Main.DEFAULT_HINT, hint);
    assertThat(r.exit).isEqualTo(130);
    assertThat(r.err).isEqualTo("cairn: interrupted; nothing half-written is visible, " + hint + "\n");
    assertThat(r.out).isEqualTo("working\n");
    assertThat(r.daemonSawHangUp).as("the daemon sees the end of the connection, and stops the command").isTrue();
  }

  @Test
  void aTermBeforeAnyHintSaysOnlyThatTheCommandWasInterrupted() throws Exception {
    Interrupted r = interruptMidCommand("TERM");
    assertThat(r.exit).isEqualTo(143);
    assertThat(r.err).isEqualTo("cairn: interrupted\n");
    assertThat(r.daemonSawHangUp).isTrue();
  }

  @Test
  void outputThatCouldNotBeWrittenIsSaidWhateverTheCommandsOwnStatus() throws Exception {
    // stdout on a full disk, the command failing (exit 1) after it printed: said, as a JVM of its own says it.
    Path socket = work.resolve("full.sock");
    Path err = work.resolve("err.txt");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Process client = new ProcessBuilder("perl", CLIENT.toString(), socket.toString(), "stamp", "0022", work.toString(), "verify")
          .redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
      try (SocketChannel ch = server.accept()) {
        DaemonServer.Request.read(new DataInputStream(new BufferedInputStream(DaemonProtocol.input(ch))));
        OutputStream raw = DaemonProtocol.output(ch);
        raw.write(DaemonProtocol.ACCEPTED);
        frame(raw, DaemonProtocol.STDOUT, "modified  a.txt: size 3, not 2\n");
        raw.write(ByteBuffer.allocate(5).put(DaemonProtocol.EXIT).putInt(1).array());
        raw.flush();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(client.exitValue()).isEqualTo(1);
      assertThat(Files.readString(err)).isEqualTo("cairn: Cannot write all of the output (the disk is full?); what the command did stands\n");
    }
  }

  record Interrupted(int exit, String out, String err, boolean daemonSawHangUp) {}

  /** Accepts the client's command, sends the hints and a line of output, then signals the client. */
  private Interrupted interruptMidCommand(String signal, String... hints) throws Exception {
    Path socket = work.resolve("d.sock");
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Process client = new ProcessBuilder("perl", CLIENT.toString(), socket.toString(), "stamp", "0022", work.toString(), "sync")
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (SocketChannel ch = server.accept()) {
        DaemonServer.Request.read(new DataInputStream(new BufferedInputStream(DaemonProtocol.input(ch))));
        OutputStream raw = DaemonProtocol.output(ch);
        raw.write(DaemonProtocol.ACCEPTED);
        for (String h : hints) {
          frame(raw, DaemonProtocol.HINT, h);
        }
        frame(raw, DaemonProtocol.STDOUT, "working\n");
        for (int i = 0; i < 400 && Files.size(out) == 0; i++) {
          Thread.sleep(25); // the client has read every frame before the output
        }
        new ProcessBuilder("kill", "-" + signal, Long.toString(client.pid())).inheritIO().start().waitFor();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ch.configureBlocking(true);
        boolean hangUp = ch.read(ByteBuffer.allocate(16)) < 0;
        return new Interrupted(client.exitValue(), Files.readString(out), Files.readString(err), hangUp);
      }
    }
  }

  private static void frame(OutputStream raw, byte type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    raw.write(ByteBuffer.allocate(5 + b.length).put(type).putInt(b.length).put(b).array());
    raw.flush();
  }
}
