package dev.cairn.web;

import dev.cairn.dataset.ArchiveIo;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.json.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The read-only web UI and JSON API over one repository ({@code cairn serve}): an embedded Javalin
 * (Jetty) server. It registers only GET routes and never writes to the repository. Thread-safe;
 * each request opens its own object reader.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.start(repo, "127.0.0.1", 8080, System.err::println)) {
 *   server.awaitStop();
 * }
 * }</pre>
 */
public final class WebServer implements AutoCloseable {
  /** Content policy of every page: no inline script or style, nothing framed. */
  private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** Headers of every answer, Jetty's own errors included ({@link JettyErrors}): the policy, no sniffing, no caching. */
  static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private final Javalin app;
  private final String host;
  private final HostNames names;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private WebServer(Javalin app, String host, HostNames names) {
    this.app = app;
    this.host = host;
    this.names = names;
  }

  /** The host names the server answers to, besides IP addresses and loopback names. */
  public java.util.Set<String> hostNames() {
    return names.names();
  }

  /**
   * Starts serving {@code repo} on {@code host}:{@code port} (port 0 picks a free one). The
   * repository stays open and owned by the caller; close it after the server.
   *
   * @param log receives one entry per unexpected failure, with its stack trace (never shown to users)
   * @throws IOException if the address cannot be bound
   */
  public static WebServer start(DatasetRepository repo, String host, int port, Consumer<String> log) throws IOException {
    return start(repo, host, port, List.of(), log);
  }

  /**
   * As {@link #start(DatasetRepository, String, int, Consumer)}; {@code allowedHosts} are further
   * names the {@code Host} header may give (a proxy's, or a name that points here).
   */
  public static WebServer start(DatasetRepository repo, String host, int port, List<String> allowedHosts, Consumer<String> log)
      throws IOException {
    HostNames names = new HostNames(host, allowedHosts);
    Site site = new Site(repo);
    ErrorPages errors = new ErrorPages(log, site);
    StaleIndexWatch staleIndex = new StaleIndexWatch(repo.repository(), log);
    Assets assets = Assets.load();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jetty.host = host;
      config.jetty.port = port;
      config.router.ignoreTrailingSlashes = true;
      config.http.prefer405over404 = true;
      config.http.compressionStrategy = CompressionStrategy.GZIP;
      config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
      config.routes.before(ctx -> staleIndex.check());
      config.routes.before(WebServer::securityHeaders);
      config.routes.before(WebServer::requireWellFormedQuery);
      config.routes.before(names::require);
      pages(config.routes, site, assets);
      api(config.routes, new Api(site));
      config.routes.exception(Exception.class, errors::exception);
      for (int status : new int[] {400, 404, 405, 500}) {
        config.routes.error(status, "*", errors::status);
      }
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new IOException("Cannot start the web server on " + host + ":" + port + ": " + rootMessage(e), e);
    }
    return new WebServer(app, host, names);
  }

  private static void pages(RoutesConfig routes, Site site, Assets assets) {
    getAndHead(routes, "/", page(new HomePage(site)::render));
    getAndHead(routes, "/dataset", page(new DatasetPage(site)::render));
    getAndHead(routes, "/compare", page(new ComparePage(site)::render));
    getAndHead(routes, "/versions/{id}", page(new VersionPage(site)::render));
    getAndHead(routes, "/versions/{id}/log", page(new LogPage(site)::render));
    getAndHead(routes, "/versions/{id}/changes", page(new ChangesPage(site)::render));
    getAndHead(routes, "/versions/{id}/files", page(new FilesPage(site)::render));
    getAndHead(routes, "/versions/{id}/folder", page(new FolderPage(site)::render));
    getAndHead(routes, "/versions/{id}/lineage", page(new LineagePage(site)::render));
    getAndHead(routes, "/versions/{id}/preview", page(new PreviewPage(site)::render));
    Downloads downloads = new Downloads(site);
    getAndHead(routes, "/versions/{id}/file", downloads::file);
    getAndHead(routes, "/versions/{id}/download.zip", ctx -> downloads.archive(ctx, ArchiveIo.Format.ZIP));
    getAndHead(routes, "/versions/{id}/download.tar", ctx -> downloads.archive(ctx, ArchiveIo.Format.TAR));
    getAndHead(routes, "/static/{name}", assets::serve);
  }

  private static void api(RoutesConfig routes, Api api) {
    getAndHead(routes, "/api", json(api::index));
    getAndHead(routes, "/api/projects", json(api::projects));
    getAndHead(routes, "/api/datasets", json(api::datasets));
    getAndHead(routes, "/api/dataset", json(api::dataset));
    getAndHead(routes, "/api/versions", json(api::versions));
    getAndHead(routes, "/api/versions/{id}", json(api::version));
    getAndHead(routes, "/api/versions/{id}/log", json(api::log));
    getAndHead(routes, "/api/versions/{id}/runs", json(api::runs));
    getAndHead(routes, "/api/versions/{id}/changes", json(api::changes));
    getAndHead(routes, "/api/versions/{id}/files", json(api::files));
    getAndHead(routes, "/api/versions/{id}/folder", json(api::folder));
    getAndHead(routes, "/api/versions/{id}/lineage", json(api::lineage));
    getAndHead(routes, "/api/compare", json(api::compare));
  }

  /**
   * Serves {@code path} to GET and to HEAD with the same handler, so that a HEAD answers what a GET
   * would (its status and headers; the server sends no body).
   */
  private static void getAndHead(RoutesConfig routes, String path, io.javalin.http.Handler handler) {
    routes.get(path, handler);
    routes.head(path, handler);
  }

  /** Renders an HTML page. */
  @FunctionalInterface
  interface PageRenderer {
    String render(Context ctx) throws IOException;
  }

  /** Produces a JSON document (maps, lists and scalars). */
  @FunctionalInterface
  interface JsonEndpoint {
    Object render(Context ctx) throws IOException;
  }

  private static io.javalin.http.Handler page(PageRenderer page) {
    return ctx -> ctx.contentType("text/html; charset=utf-8").result(page.render(ctx));
  }

  private static io.javalin.http.Handler json(JsonEndpoint endpoint) {
    return ctx -> ctx.contentType("application/json; charset=utf-8").result(Json.pretty(endpoint.render(ctx)));
  }

  /**
   * Refuses a query string with a malformed {@code %} escape, which the query parser would drop
   * silently: {@code ?filter=a%ZZ} must not list every file as if no filter had been given.
   */
  static void requireWellFormedQuery(Context ctx) {
    String q = ctx.queryString();
    int at = q == null ? -1 : badEscape(q);
    if (at >= 0) {
      throw HttpProblem.badRequest("Cannot read the query: '" + q.substring(at, Math.min(q.length(), at + 3))
          + "' is not a %-escape (a % followed by two hex digits)");
    }
  }

  /** The index of the first {@code %} not followed by two hex digits in {@code s}, or -1. */
  static int badEscape(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
        return i;
      }
    }
    return -1;
  }

  /** The headers every answer carries; also set again on an error page after a reset. */
  static void securityHeaders(Context ctx) {
    SECURITY_HEADERS.forEach(ctx::header);
  }

  private static Map<String, String> securityHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("X-Content-Type-Options", "nosniff");
    m.put("Referrer-Policy", "no-referrer");
    m.put("X-Frame-Options", "DENY");
    // Not even loaded by another site (an <img> there would tell whether a file exists here).
    m.put("Cross-Origin-Resource-Policy", "same-origin");
    m.put("Content-Security-Policy", PAGE_POLICY);
    m.put("Cache-Control", "no-store");
    m.put("Vary", "Accept-Encoding"); // answers may be gzipped: a shared cache must not mix the two
    return Collections.unmodifiableMap(m);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof UnresolvedAddressException) {
      return "the host name does not resolve to an address of this machine";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The address to open in a browser. */
  public String url() {
    String bare = HostNames.bare(host);
    String h = HostNames.isWildcard(host) ? "localhost" : bare.contains(":") ? "[" + bare + "]" : bare;
    return "http://" + h + ":" + port() + "/";
  }

  /** Whether {@code host} names only this machine (a loopback address). */
  public static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Blocks until {@link #close} is called (from another thread or a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops the server; requests in flight are cut. Idempotent. */
  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      stopped.countDown();
    }
  }
}
