package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn serve} as the command line runs it. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class WebServeCommandTest {
  @TempDir Path tmp;

  @Test
  void servesOnLoopbackByDefaultUntilStopped() throws Exception {
    WebFixture fixture = WebFixture.build(tmp);
    PipedReader pipe = new PipedReader();
    PrintWriter out = new PrintWriter(new PipedWriter(pipe), true);
    StringWriter err = new StringWriter();
    int[] exit = {-1};
    Thread serve = new Thread(() -> exit[0] = Main.run(out, new PrintWriter(err, true),
        "--repo", fixture.repoDir.toString(), "serve", "--port", "0"));
    serve.start();
    BufferedReader lines = new BufferedReader(pipe);
    String first = lines.readLine();
    assertThat(first).startsWith("Serving " + fixture.repoDir.toAbsolutePath()).contains("(read-only) at http://127.0.0.1:");
    String url = first.substring(first.indexOf("http://"));
    HttpResponse<String> home = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("pets-merged");
    serve.interrupt();
    serve.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(serve.isAlive()).isFalse();
    assertThat(exit[0]).as("the command returned").isNotEqualTo(-1);
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void refusesAFolderWithoutARepositoryAndCreatesNothing() {
    Path missing = tmp.resolve("no-repo");
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", missing.toString(), "serve", "--port", "0");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("cairn: Cannot open repository: no Cairn repository at").doesNotContain("\tat ");
    assertThat(Files.exists(missing)).isFalse();
  }

  @Test
  void reportsAPortInUseInOneLine() throws IOException {
    WebFixture fixture = WebFixture.build(tmp);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", fixture.repoDir.toString(),
          "serve", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString()).startsWith("cairn: Cannot start the web server on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ");
      assertThat(err.toString().strip().lines()).hasSize(1);
    }
  }

  @Test
  void refusesAnEmptyHostInOneLine() throws IOException {
    WebFixture fixture = WebFixture.build(tmp);
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", fixture.repoDir.toString(),
        "serve", "--host", "", "--port", "0");
    assertThat(exit).as("a bad option value, as a bad --port").isEqualTo(2);
    assertThat(err.toString()).isEqualTo("cairn: Cannot serve: --host is empty; give an address (127.0.0.1, the default, for this"
        + " machine only; 0.0.0.0 for every interface) (see 'cairn serve --help')\n");
  }

  @Test
  void refusesAPortOutOfRangeInOneLine() throws IOException {
    WebFixture fixture = WebFixture.build(tmp);
    for (String bad : new String[] {"99999", "-1"}) {
      StringWriter err = new StringWriter();
      int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", fixture.repoDir.toString(),
          "serve", "--port", bad);
      assertThat(exit).as(bad).isEqualTo(2);
      assertThat(err.toString()).as(bad).isEqualTo("cairn: Cannot serve: --port " + bad + " is not a port; give one from 1 to 65535,"
          + " or 0 for a free one (see 'cairn serve --help')\n");
    }
  }

  @Test
  void refusesAnAllowedHostThatIsNoHostName() throws IOException {
    WebFixture fixture = WebFixture.build(tmp);
    for (String bad : new String[] {"[::1", "*", "http://x.example", "x.example:abc", ".com"}) {
      StringWriter err = new StringWriter();
      int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", fixture.repoDir.toString(),
          "serve", "--allow-host", bad, "--port", "0");
      assertThat(exit).as(bad).isEqualTo(2);
      assertThat(err.toString()).as(bad).startsWith("cairn: Cannot serve: --allow-host '" + bad + "' is not a host name");
    }
  }

  @Test
  void knowsWhatLoopbackIs() {
    assertThat(WebServer.isLoopback("127.0.0.1")).isTrue();
    assertThat(WebServer.isLoopback("localhost")).isTrue();
    assertThat(WebServer.isLoopback("::1")).isTrue();
    assertThat(WebServer.isLoopback("0.0.0.0")).isFalse();
  }
}
