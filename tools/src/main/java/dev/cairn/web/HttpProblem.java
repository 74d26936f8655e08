package dev.cairn.web;

/**
 * A request the server answers with an error status and a one-line message for the user: an
 * unknown dataset or file (404), a malformed parameter or path (400), a file the version holds whose
 * content this repository does not (409), lost or damaged data (500). Never carries a stack trace
 * to the user.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  HttpProblem(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static HttpProblem notFound(String message) {
    return new HttpProblem(404, message);
  }

  /**
   * A file the version holds whose content is not in this repository: fetched in part, or left
   * outside it by a link (409: it exists, only not here, which a 404 would deny).
   */
  static HttpProblem notHere(String message) {
    return new HttpProblem(NOT_HERE, message);
  }

  /** The status of {@link #notHere}: Conflict, the resource's state. */
  static final int NOT_HERE = 409;

  /** Data the repository should hold and does not: damage, which fsck tells more of (500). */
  static HttpProblem damaged(String message) {
    return new HttpProblem(500, message);
  }

  static HttpProblem badRequest(String message) {
    return new HttpProblem(400, message);
  }

  int status() {
    return status;
  }
}
