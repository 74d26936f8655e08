package dev.cairn.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers, to requests too malformed to reach a route (a bad escape such as
 * {@code %ZZ}, a dot segment above the root, a 414 for an over-long address): the app's error
 * page in UTF-8, or under {@code /api} the API's JSON error, with the security headers of every
 * page, and never a stack trace or cause. A request whose address Jetty cannot read at all (a bad
 * escape, a dot segment above the root) reaches here as {@code /badMessage}: its answer is the
 * page, wherever it was sent.
 * Thread-safe (no state).
 */
final class JettyErrors extends ErrorHandler {
  JettyErrors() {
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    HttpFields.Mutable headers = response.getHeaders();
    WebServer.SECURITY_HEADERS.forEach(headers::put);
    if (underApi(request)) {
      // The API answers in JSON, whatever stopped the request before its route.
      headers.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8"));
      response.write(true, ByteBuffer.wrap(ErrorPages.json(code, message(code, message)).getBytes(StandardCharsets.UTF_8)), callback);
      return;
    }
    headers.put(new HttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8"));
    response.write(true, body(code, message), callback);
  }

  /** Whether the request was addressed to the API, read from its path as sent (escapes and all). */
  private static boolean underApi(Request request) {
    try {
      String path = request == null ? null : request.getHttpURI().getPath();
      return path != null && (path.equals("/api") || path.startsWith("/api/"));
    } catch (RuntimeException unparsable) {
      return false;
    }
  }

  /** Answers that Jetty writes without a request to hand (its parser refused the request line). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    addHeaders(fields);
    return body(status, reason);
  }

  private static void addHeaders(HttpFields.Mutable headers) {
    WebServer.SECURITY_HEADERS.forEach(headers::put);
    headers.put(new HttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8"));
  }

  private static ByteBuffer body(int status, String reason) {
    return ByteBuffer.wrap(ErrorPages.page(status, message(status, reason)).getBytes(StandardCharsets.UTF_8));
  }

  private static String message(int status, String reason) {
    return switch (status) {
      case 400 -> "Cannot read the request: its address is malformed";
      case 414 -> "Cannot read the request: its address is too long";
      case 431 -> "Cannot read the request: its headers are too large";
      default -> "Cannot read the request: " + (reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason);
    };
  }
}
