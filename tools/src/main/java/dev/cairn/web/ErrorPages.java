package dev.cairn.web;

import dev.cairn.cli.LongText;
import dev.cairn.cli.ShellWords;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.PatternTooCostlyException;
import dev.cairn.internal.json.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns every failure into a status and one line for the user: an HTML page, or a JSON document
 * under {@code /api}. Never shows a stack trace; unexpected failures are reported to the server's
 * log with their trace and shown as a generic 500.
 */
final class ErrorPages {
  /** Request attribute marking that a handler already rendered the error. */
  private static final String RENDERED = "cairn.error.rendered";

  /** Messages longer than this are cut in the middle. */
  private static final int LONG_MESSAGE = 600;

  private final Consumer<String> log;
  private final Site site;

  ErrorPages(Consumer<String> log, Site site) {
    this.log = log;
    this.site = site;
  }

  /** Maps an exception thrown by a handler. */
  void exception(Exception e, Context ctx) {
    if (ctx.res().isCommitted()) {
      // A download failed half-way (often: the client went away). Headers are sent; all that
      // can be done is to stop. Returning would end the response cleanly (the last chunk of a
      // chunked archive), and a cut archive would look whole: the exchange is aborted instead,
      // which closes the connection mid-stream.
      if (!isClientGone(e)) {
        log.accept("Download of " + ctx.path() + " failed mid-stream: " + describe(e));
      }
      var request = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
      if (request != null) {
        request.getServletChannel().abort(e);
      }
      return;
    }
    if (e instanceof HttpProblem p) {
      render(ctx, p.status(), p.getMessage());
    } else if (e instanceof HttpResponseException r && r.getStatus() < 500) {
      render(ctx, r.getStatus(), r.getMessage());
    } else if (e instanceof DatasetNotFoundException) {
      render(ctx, 404, e.getMessage());
    } else if (e instanceof MissingObjectException) {
      String id = ctx.pathParamMap().get("id");
      if (id == null) {
        // A comparison names its versions in its query: one known here by its record alone is the
        // one to fetch, else the first known on a remote.
        String source = ctx.queryParam("source");
        String target = ctx.queryParam("target");
        id = recordOnly(target) && !recordOnly(source) ? target : hasRemote(source) ? source : target;
      }
      if (hasRemote(id)) {
        // Not stored here: a version known from its remote, or fetched in part.
        render(ctx, HttpProblem.NOT_HERE, notHere(id, e));
      } else {
        // Nowhere to fetch it from: data lost here, as a damaged object is.
        log.accept("Request " + ctx.method() + " " + ctx.path() + " met a missing object: " + e.getMessage());
        render(ctx, 500, e.getMessage() + "; cairn fsck on the server tells more");
      }
    } else if (e instanceof PatternTooCostlyException || e instanceof InvalidInputException) {
      render(ctx, 400, e.getMessage());
    } else if (e instanceof AmbiguousIdException) {
      render(ctx, 400, e.getMessage());
    } else if (e instanceof CorruptObjectException c) {
      // Damage, not a bug of the server: said in one line, without the server's paths.
      String m = c.where() == null ? c.getMessage() : c.getMessage().replace(" (" + c.where() + ")", "");
      log.accept("Request " + ctx.method() + " " + ctx.path() + " read damaged data: " + c.getMessage());
      render(ctx, 500, m + "; cairn fsck on the server tells more");
    } else {
      log.accept("Request " + ctx.method() + " " + ctx.path() + " failed: " + describe(e) + "\n" + trace(e));
      render(ctx, 500, "Something went wrong while reading the repository: " + oneLine(e));
    }
  }

  /**
   * What a page of version {@code id} lacks, said as the command line says it: a version whose
   * record alone is here (an ancestor of one fetched) has no listing to show; one fetched in part
   * lacks the data of some files. Each with the command that fetches it.
   */
  private String notHere(String id, Exception e) {
    try {
      DatasetRecord r = site.version(id).record();
      String remote = site.contentStorage(r);
      String get = "cairn get --id " + DatasetRecord.shortId(r.id()) + " --storage " + ShellWords.quote(remote);
      if (recordOnly(id)) {
        return "Version " + r.id() + " is known here by its record alone (an ancestor of a version fetched from " + remote
            + "): its contents are not here; " + get + " fetches it";
      }
      return e.getMessage() + ": version " + r.id() + " is not whole here (fetched in part?); " + get + " fetches the rest";
    } catch (IOException | RuntimeException unreadable) {
      return e.getMessage() + "; fetch the whole version from its remote: cairn get --id " + id;
    }
  }

  /** Whether version {@code id} is known here by its record alone: its manifest is not here. */
  private boolean recordOnly(String id) {
    try {
      DatasetRecord r = site.version(id).record();
      return r.root() != null && !site.repository().repository().objects().has(r.root());
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /** Whether the version {@code id} names (null: none) has a remote its data not here can be fetched from. */
  private boolean hasRemote(String id) {
    if (id == null) {
      return false;
    }
    try {
      return site.contentStorage(site.version(id).record()) != null;
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /** Renders statuses that no handler rendered: unknown routes (404) and non-GET methods (405). */
  void status(Context ctx) {
    if (ctx.attribute(RENDERED) != null) {
      return;
    }
    int status = ctx.status().getCode();
    String message = switch (status) {
      case 404 -> "There is nothing at " + ctx.path();
      case 405 -> "This server is read-only: " + ctx.method() + " is not allowed here";
      default -> ctx.status().getMessage();
    };
    render(ctx, status, message);
  }

  private void render(Context ctx, int status, String message) {
    ctx.attribute(RENDERED, Boolean.TRUE);
    // A download that failed before its first bytes went out: none of it, nor any header it set
    // (its name, length, range, policy), may reach the client with the error page.
    String allow = ctx.res().getHeader("Allow");
    String range = status == 416 ? ctx.res().getHeader("Content-Range") : null; // the size a 416 names
    ctx.res().reset();
    WebServer.securityHeaders(ctx);
    if (allow != null) {
      ctx.header("Allow", allow);
    }
    if (range != null) {
      ctx.header("Content-Range", range);
    }
    ctx.status(status);
    if (ctx.path().startsWith("/api")) {
      ctx.contentType("application/json; charset=utf-8").result(json(status, message));
      return;
    }
    // A page cuts a message that repeats a long address or path; the API gives it whole, for programs.
    ctx.contentType("text/html; charset=utf-8").result(page(status, LongText.cut(message, LONG_MESSAGE), versionOf(ctx)));
  }

  /**
   * The version the failed page belongs to (its full id), when the page's version itself was found
   * (a file it does not hold, a page past its end), so that the error links back to it; else null.
   */
  private String versionOf(Context ctx) {
    String id = ctx.pathParamMap().get("id");
    if (id == null) {
      return null;
    }
    try {
      String full = site.version(id).record().id();
      return ctx.path().equals(Links.version(full)) || ctx.path().equals(Links.version(id)) ? null : full; // not back to itself
    } catch (IOException | RuntimeException notFound) {
      return null;
    }
  }

  /** The API's error document: {@code {"status", "error"}}. */
  static String json(int status, String message) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("status", status);
    doc.put("error", message);
    return Json.pretty(doc);
  }

  /** The error page: its status, a title and the one-line message (also for Jetty's own errors, {@link JettyErrors}). */
  static String page(int status, String message) {
    return page(status, message, null);
  }

  /** The error page, linking back to the version {@code id} first if it is not null. */
  private static String page(int status, String message, String id) {
    Html h = new Html().open("div", "class", "error-page");
    h.el("div", Integer.toString(status), "class", "code");
    h.el("h1", title(status));
    h.el("p", message, "id", "error-message");
    h.open("p");
    if (id != null) {
      h.link(Links.version(id), "Back to the version", "id", "back-to-version").text(" · ");
    }
    h.link(Links.home(), "Back to the datasets").close("p");
    h.close("div");
    return Layout.page(title(status), List.of(), h);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Not allowed";
      case 409 -> "Not in this repository";
      case 414 -> "Address too long";
      case 416 -> "Range not satisfiable";
      case 431 -> "Request headers too large";
      case 500 -> "Server error";
      default -> "Error " + status;
    };
  }

  private static boolean isClientGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().endsWith("EofException")
          || (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + ": " + e.getMessage();
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  private static String trace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
