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
  private final String cssTag;
  private final String jsTag;

  private Assets(byte[] css, byte[] js) {
    this.css = css;
    this.js = js;
    this.cssTag = tag(css);
    this.jsTag = tag(js);
  }

  /** An entity tag of {@code body}: a hash of its bytes. */
  private static String tag(byte[] body) {
    return "\"" + dev.cairn.id.HashAlgorithm.SHA256.hash(body).abbreviate(16) + "\"";
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
    // Kept five minutes, then asked again by its tag: the same server answers 304, a newer one the new bytes.
    String etag = body == css ? cssTag : jsTag;
    ctx.header("Cache-Control", "max-age=300");
    ctx.header("ETag", etag);
    if (Downloads.anyTagMatches(ctx.header("If-None-Match"), etag)) {
      ctx.status(304);
      return;
    }
    ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").result(body);
  }
}
