package dev.cairn.dataset;

import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Files linked by an http or https URL (clearml-data's links to web servers). A URL names one
 * file: a web server lists no folder. Read-only, and never a remote: remotes are reached through
 * Hadoop's file systems, which know no http. Redirects are followed; the size comes from a HEAD
 * request, or, where the server gives none, from reading the file.
 */
final class HttpLinks implements AutoCloseable {
  private static final Duration CONNECT = Duration.ofSeconds(30);
  /**
   * How long a request waits for the server's answer (its status and headers; a body then streams
   * for as long as it takes): a server that accepts connections and answers nothing (stopped, or
   * wedged) is given up, not waited on for ever.
   */
  private static final Duration ANSWER = Duration.ofSeconds(60);

  private final Duration answer;
  private HttpClient client;

  HttpLinks() {
    this(ANSWER);
  }

  /** With another wait for an answer (tests). */
  HttpLinks(Duration answer) {
    this.answer = answer;
  }

  static boolean handles(URI uri) {
    String s = uri.getScheme();
    return s != null && (s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"));
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    return client;
  }

  /** The file's size, or -1 if the server says it is not there (404, 410). */
  long size(URI url) throws IOException {
    HttpResponse<Void> head = send(HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(answer).build(),
        HttpResponse.BodyHandlers.discarding(), url);
    if (gone(head.statusCode())) {
      return -1;
    }
    OptionalLong length = head.headers().firstValueAsLong("Content-Length");
    if (head.statusCode() == 200 && length.isPresent()) {
      return length.getAsLong();
    }
    // No length, or no HEAD (405): counted from the body.
    long size = 0;
    try (InputStream in = open(url)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        size += n;
      }
    } catch (StorageException e) {
      if (e.getMessage().endsWith(GONE)) {
        return -1;
      }
      throw e;
    }
    return size;
  }

  private static final String GONE = "no such file on the server";

  /** Streams the whole file. */
  InputStream open(URI url) throws IOException {
    HttpResponse<InputStream> r = send(HttpRequest.newBuilder(url).GET().timeout(answer).build(), HttpResponse.BodyHandlers.ofInputStream(),
        url);
    if (r.statusCode() == 200) {
      return r.body();
    }
    r.body().close();
    if (gone(r.statusCode())) {
      throw new StorageException("Cannot read " + url + ": " + GONE, false);
    }
    throw refused(url, r.statusCode());
  }

  private static boolean gone(int status) {
    return status == 404 || status == 410;
  }

  private static StorageException refused(URI url, int status) {
    // Server errors and throttling may pass; the others will not.
    boolean passing = status >= 500 || status == 429 || status == 408;
    return new StorageException("Cannot read " + url + ": the server answered HTTP " + status + reason(status), passing);
  }

  private static String reason(int status) {
    return switch (status) {
      case 401, 407 -> " (authentication required)";
      case 403 -> " (forbidden)";
      case 429 -> " (too many requests)";
      default -> status >= 500 ? " (server error)" : "";
    };
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, URI url) throws IOException {
    try {
      return client().send(request, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + url);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + url + ": " + why(e), true, e);
    }
  }

  /** Lets the client go (on Java 17 an idle client ends its threads once unreachable). */
  /** A failed exchange in words: the JDK's client gives several of them no message. */
  private static String why(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "the connection timed out";
    }
    if (e instanceof ConnectException) {
      Throwable cause = e.getCause();
      return cause instanceof UnresolvedAddressException ? "unknown host" : "cannot connect (refused, unreachable or unknown host)";
    }
    if (e instanceof HttpTimeoutException) {
      return "the server did not answer in time";
    }
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage().strip();
  }

  @Override
  public synchronized void close() {
    client = null;
  }
}
