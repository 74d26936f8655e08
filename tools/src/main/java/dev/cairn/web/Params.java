package dev.cairn.web;

import dev.cairn.manifest.DiffEntry;
import io.javalin.http.Context;
import java.util.Locale;

/** Reads query parameters, turning malformed ones into 400 answers. */
final class Params {
  private Params() {}

  /** The trimmed parameter, or null when absent or blank. */
  static String string(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The parameter as given (not trimmed: paths may start or end with spaces), or null. */
  static String exact(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** A non-negative number, {@code fallback} when absent. */
  static long nonNegative(Context ctx, String name, long fallback) {
    String v = string(ctx, name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw HttpProblem.badRequest("Cannot read parameter " + name + ": '" + v + "' is not a number of 0 or more");
  }

  /** A page size between 1 and {@code max}, {@code fallback} when absent. */
  static int limit(Context ctx, int fallback, int max) {
    long n = nonNegative(ctx, "limit", fallback);
    if (n == 0) {
      throw HttpProblem.badRequest("Cannot list 0 entries: give a limit of 1 to " + max);
    }
    return (int) Math.min(max, n);
  }

  /** {@code added}, {@code modified} or {@code removed}; null when absent or {@code all}. */
  static DiffEntry.ChangeType changeType(Context ctx) {
    String v = string(ctx, "type");
    if (v == null || v.equalsIgnoreCase("all")) {
      return null;
    }
    try {
      return DiffEntry.ChangeType.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("Cannot filter changes by '" + v + "': use added, modified or removed");
    }
  }
}
