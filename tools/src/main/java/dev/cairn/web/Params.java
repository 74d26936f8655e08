package dev.cairn.web;

import dev.cairn.manifest.DiffEntry;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/** Reads query parameters, turning malformed ones into 400 answers. */
final class Params {
  /** The largest {@code limit} a page or the API accepts. */
  static final int MAX_LIMIT = 1000;

  private Params() {}

  /**
   * The one value of a parameter, or null when absent. A parameter given twice with different
   * values is a 400: {@code ?limit=1&limit=2} asks for two things, and taking either would answer
   * a question the client did not ask. Repeating the same value is harmless.
   */
  static String one(Context ctx, String name) {
    List<String> all = ctx.queryParams(name);
    if (all.isEmpty()) {
      return null;
    }
    String first = all.get(0);
    for (String v : all) {
      if (!v.equals(first)) {
        throw HttpProblem.badRequest("Cannot use " + name + " twice with different values ('" + first + "' and '" + v + "'): give it once");
      }
    }
    return first;
  }

  /** The trimmed parameter, or null when absent or blank. */
  static String string(Context ctx, String name) {
    String v = one(ctx, name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * Every value of a repeated parameter, joined by commas and trimmed, or null when there is none
   * that is not blank: {@code ?tag=a&tag=b} and {@code ?tag=a,b} ask for the same.
   */
  static String joined(Context ctx, String name) {
    String v = String.join(",", ctx.queryParams(name)).trim();
    return v.replace(",", "").isBlank() ? null : v;
  }

  /** A parameter trimmed, empty when given empty, null when absent (where "given empty" means something). */
  static String presentOrNull(Context ctx, String name) {
    String v = one(ctx, name);
    return v == null ? null : v.trim();
  }

  /**
   * Refuses a parameter other than {@code known} (a 400 naming it), where one ignored would change
   * what is sent: {@code download.zip?folder=x}, a typo for {@code dir}, would send the whole version.
   */
  static void onlyKnown(Context ctx, String what, String... known) {
    java.util.List<String> allowed = java.util.List.of(known);
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw HttpProblem.badRequest("Cannot " + what + ": unknown parameter '" + name + "' (this address takes "
            + (known.length == 0 ? "none" : String.join(", ", allowed.stream().map(k -> k + "=").toList())) + ")");
      }
    }
  }

  /** The parameter as given (not trimmed: paths may start or end with spaces), or null. */
  static String exact(Context ctx, String name) {
    String v = one(ctx, name);
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * Plain ASCII digits as a number: not the other scripts' digits or the leading sign that
   * {@link Long#parseLong} takes (a {@code +} in a query is a space, so "+5" was " 5" to the user).
   */
  private static long decimal(String v) {
    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException(v);
    }
    return Long.parseLong(v);
  }

  /** A non-negative number, {@code fallback} when absent. */
  static long nonNegative(Context ctx, String name, long fallback) {
    String v = string(ctx, name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = decimal(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    boolean digits = v.chars().allMatch(c -> c >= '0' && c <= '9');
    throw HttpProblem.badRequest("Cannot read parameter " + name + ": '" + v + "' is " + (digits ? "too large" : "not a number of 0 or more"));
  }

  /**
   * A page size between 1 and {@link #MAX_LIMIT}, {@code fallback} when absent. Out of range is a
   * 400, never silently capped: a client asking for 5000 rows must not take 1000 for the whole.
   */
  static int limit(Context ctx, int fallback) {
    String v = string(ctx, "limit");
    if (v == null) {
      return fallback;
    }
    try {
      long n = decimal(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw HttpProblem.badRequest("Cannot use limit=" + v + ": give a limit of 1 to " + MAX_LIMIT);
  }

  /**
   * The rows {@code offset} to {@code offset + limit} of a whole listing; all of them when neither
   * is given (the listings of datasets and versions answer whole by default), a 400 for either out
   * of range, as for every listing.
   */
  static <T> List<T> slice(Context ctx, List<T> all) {
    long offset = nonNegative(ctx, "offset", 0);
    int limit = limit(ctx, Integer.MAX_VALUE);
    int from = (int) Math.min(offset, all.size());
    return all.subList(from, (int) Math.min(all.size(), (long) from + limit));
  }

  /**
   * The {@code offset} of an unfiltered listing, 0 when absent; a 400 when {@code filter} is set,
   * since a filtered listing pages by {@code after} (a path) and could not honour an index.
   */
  static long offsetWithoutFilter(Context ctx, String filter) {
    if (filter != null && string(ctx, "offset") != null) {
      throw HttpProblem.badRequest("Cannot use offset with filter: a filtered listing continues with after=PATH");
    }
    return nonNegative(ctx, "offset", 0);
  }

  /**
   * The {@code after} of a filtered listing, null when absent; a 400 when there is no
   * {@code filter}, since an unfiltered listing pages by {@code offset}.
   */
  static String afterWithFilter(Context ctx, String filter) {
    String after = exact(ctx, "after");
    if (after != null && filter == null) {
      throw HttpProblem.badRequest("Cannot use after without filter: an unfiltered listing continues with offset=N");
    }
    return after;
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
