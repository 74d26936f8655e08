package dev.cairn.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The stylesheet and the script of the pages, read once from the class path (they travel inside
 * the jar) and served under {@code /static/}.
 */
final class Assets {
  private final byte[] css;
  private final byte[] js;

  private Assets(byte[] css, byte[] js) {
    this.css = css;
    this.js = js;
  }

  static Assets load() {
    return new Assets(read("cairn.css"), read("cairn.js"));
  }

  private static byte[] read(String name) {
    try (InputStream in = Assets.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource dev/cairn/web/static/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code GET /static/{name}}. */
  void serve(Context ctx) {
    String name = ctx.pathParam("name");
    byte[] body = switch (name) {
      case "cairn.css" -> css;
      case "cairn.js" -> js;
      default -> throw HttpProblem.notFound("There is no asset " + name);
    };
    ctx.header("Cache-Control", "max-age=300");
    ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").result(body);
  }
}
