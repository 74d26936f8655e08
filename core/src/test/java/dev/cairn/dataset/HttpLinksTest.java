package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.storage.StorageException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links to files on a web server: a real HTTP server on the loopback address. */
class HttpLinksTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  HttpServer server;
  String base;

  /** What the server serves, by path. */
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  /** Paths answered without Content-Length (chunked), as a generated file would be. */
  final Map<String, Boolean> chunked = new ConcurrentHashMap<>();
  /** Paths whose HEAD is refused (a URL signed for GET only). */
  final Map<String, Boolean> noHead = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.createContext("/moved/", x -> {
      x.getResponseHeaders().add("Location", "/" + x.getRequestURI().getRawPath().substring("/moved/".length()));
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.stop(0);
    repo.close();
  }

  private void serve(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    byte[] body = files.get(path);
    boolean head = x.getRequestMethod().equals("HEAD");
    if (body == null) {
      x.sendResponseHeaders(404, -1);
    } else if (head && noHead.containsKey(path)) {
      x.sendResponseHeaders(403, -1);
    } else if (head) {
      if (!chunked.containsKey(path)) {
        x.getResponseHeaders().add("Content-Length", Long.toString(body.length));
      }
      x.sendResponseHeaders(200, -1);
    } else {
      x.sendResponseHeaders(200, chunked.containsKey(path) ? 0 : body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
    x.close();
  }

  private byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aLinkedWebFileIsReadOnceAndDownloadedAtGetUnderItsNameAndChecked() throws IOException {
    files.put("/data/train.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    files.put("/data/with space.bin", random(300_000, 1));
    files.put("/gen/rows", random(70_000, 2));
    chunked.put("/gen/rows", true);
    files.put("/signed/x.bin", random(1000, 3));
    noHead.put("/signed/x.bin", true);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "web").build());
    ds.addLinks(List.of(base + "/data/train.csv", base + "/data/with%20space.bin", base + "/gen/rows", base + "/moved/signed/x.bin"),
        "ext", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path, FileEntry::size, FileEntry::uri).containsExactly(
        org.assertj.core.groups.Tuple.tuple("ext/rows", 70_000L, base + "/gen/rows"),
        org.assertj.core.groups.Tuple.tuple("ext/train.csv", 8L, base + "/data/train.csv"),
        org.assertj.core.groups.Tuple.tuple("ext/with space.bin", 300_000L, base + "/data/with%20space.bin"),
        org.assertj.core.groups.Tuple.tuple("ext/x.bin", 1000L, base + "/moved/signed/x.bin"));
    assertThat(ds.record().tags()).containsExactly(Dataset.EXTERNAL_FILES_TAG);
    ds.close();
    // Sizes without a Content-Length, or without HEAD, are read from the body.
    assertThat(ds.verifySizes()).isEmpty();
    assertThat(ds.verify()).isEmpty();

    Path copy = ds.getMutableLocalCopy(tmp.resolve("copy"), false);
    assertThat(Files.readAllBytes(copy.resolve("ext/with space.bin"))).isEqualTo(files.get("/data/with space.bin"));
    assertThat(Files.readAllBytes(copy.resolve("ext/rows"))).isEqualTo(files.get("/gen/rows"));
    assertThat(Files.readAllBytes(copy.resolve("ext/x.bin"))).isEqualTo(files.get("/signed/x.bin"));

    // Changed on the server: verify says so, and a new copy is refused rather than made of other bytes.
    files.put("/data/train.csv", "a,b\n1,3\n".getBytes(StandardCharsets.UTF_8));
    files.remove("/gen/rows");
    assertThat(ds.verify()).extracting(p -> p.path() + " " + p.kind() + " " + p.detail()).containsExactlyInAnyOrder(
        "ext/rows MISSING linked file " + base + "/gen/rows is gone",
        "ext/train.csv CONTENT linked file " + base + "/data/train.csv changed since it was added");
    assertThat(ds.verifySizes()).extracting(VerifyProblem::path).containsExactly("ext/rows");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(tmp.resolve("copy2"), false)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the linked file " + base + "/");

    // The server down: not known to be gone or changed, only unreachable.
    server.stop(0);
    assertThat(ds.verify()).extracting(VerifyProblem::kind).hasSize(4).containsOnly(VerifyProblem.Kind.UNREACHABLE);
    assertThat(ds.verifySizes()).extracting(VerifyProblem::kind).hasSize(4).containsOnly(VerifyProblem.Kind.UNREACHABLE);
    assertThat(ds.verifySizes()).allSatisfy(p -> assertThat(p.detail()).contains("cannot connect"));
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // before the fix, a wait without end: failed, not hung
  void aServerThatAcceptsAndNeverAnswersIsGivenUp() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        HttpLinks links = new HttpLinks(java.time.Duration.ofMillis(500))) {
      List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // and never a byte back
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      java.net.URI url = java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/a.txt");
      assertThatThrownBy(() -> links.open(url)).isInstanceOf(IOException.class).hasMessageContaining("did not answer in time");
      assertThatThrownBy(() -> links.size(url)).isInstanceOf(IOException.class).hasMessageContaining("did not answer in time");
      for (java.net.Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aWebFolderAMissingFileAndAnUnreachableServerAreRefusedWithNothingAdded() throws IOException {
    files.put("/data/a.txt", "a".getBytes(StandardCharsets.UTF_8));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "web-bad").build());
    assertThatThrownBy(() -> ds.addLinks(List.of(base + "/data/"), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot link " + base + "/data/: an http(s) link names one file (a web server lists no folder); give each file's URL");
    assertThatThrownBy(() -> ds.addLinks(List.of(base + "/data/a.txt", base + "/data/nope.txt"), "", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot link " + base + "/data/nope.txt: no such file on the server");
    // A scheme no store serves: said as a link's, not a remote's.
    assertThatThrownBy(() -> ds.addLinks(List.of("ftp://host/data/a.txt"), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot link files at ftp://host/data: no support for scheme 'ftp'; a link is an http:// or https:// URL")
        .hasMessageNotContaining("remote");
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> ds.addLinks(List.of("http://127.0.0.1:" + port + "/x"), "", Progress.NONE)).isInstanceOf(StorageException.class)
        .hasMessage("Cannot read http://127.0.0.1:" + port + "/x: cannot connect (refused, unreachable or unknown host)");
    assertThat(ds.listFiles()).isEmpty();
    // A query (a signed URL's) stays part of the link; the name is the path's last segment.
    files.put("/data/b.csv", "b".getBytes(StandardCharsets.UTF_8));
    ds.add(null, null, new LinkOptions(List.of(base + "/data/b.csv?sig=x/y", base + "/data/a.txt"), List.of("*.csv"), true), "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path, FileEntry::uri).containsExactly(
        org.assertj.core.groups.Tuple.tuple("b.csv", base + "/data/b.csv?sig=x/y"));
    assertThat(ds.verify()).isEmpty();
  }
}
