package dev.cairn.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Every URL the pages link to, built in one place. User strings (names, paths, filters) only ever
 * travel in query parameters, percent-encoded here; ids are hex and go in the path.
 */
final class Links {
  private Links() {}

  static String home() {
    return "/";
  }

  /** The home page filtered to one project; the unnamed one too ({@code ?project=}). */
  static String project(String project) {
    return "/?project=" + encode(project);
  }

  static String search(String project, String name, String tag) {
    return "/" + query("project", project, "q", name, "tag", tag);
  }

  /** A page of the home page's listing; the unnamed project stays named ({@code ?project=}). */
  static String search(String project, String name, String tag, long offset, int limit) {
    String rest = query("q", name, "tag", tag, "offset", offset(offset), "limit", limit(limit, HomePage.PAGE));
    return project == null ? "/" + rest : project(project) + (rest.isEmpty() ? "" : "&" + rest.substring(1));
  }

  /** A dataset's page; the project is always named, even the unnamed one ({@code project=}). */
  static String dataset(String project, String name) {
    return "/dataset?project=" + encode(project) + "&name=" + encode(name);
  }

  /** A page of a dataset's versions, {@code offset} versions back from the newest. */
  static String dataset(String project, String name, long offset, int limit) {
    String more = query("offset", offset(offset), "limit", limit(limit, DatasetPage.PAGE));
    return dataset(project, name) + (more.isEmpty() ? "" : "&" + more.substring(1));
  }

  static String version(String id) {
    return "/versions/" + id;
  }

  /** A tab of a version page: {@code log}, {@code changes}, {@code files}, {@code lineage}, {@code preview}. */
  static String tab(String id, String tab) {
    return version(id) + "/" + tab;
  }

  static String changes(String id, String type, long offset) {
    return changes(id, type, offset, ChangesPage.PAGE);
  }

  /** A page of the change-set; {@code limit} is left out when it is the page's default. */
  static String changes(String id, String type, long offset, int limit) {
    return tab(id, "changes") + query("type", type, "offset", offset(offset), "limit", limit(limit, ChangesPage.PAGE));
  }

  static String files(String id, String filter, long offset) {
    return files(id, filter, offset, FilesPage.PAGE);
  }

  /** A page of the contents (an offset only without a filter; see {@link Params#offsetWithoutFilter}). */
  static String files(String id, String filter, long offset, int limit) {
    return tab(id, "files") + query("filter", filter, "offset", offset(offset), "limit", limit(limit, FilesPage.PAGE));
  }

  /** The next page of a filtered listing, resuming the scan after {@code after}. */
  static String filesAfter(String id, String filter, String after, int limit) {
    return tab(id, "files") + query("filter", filter, "after", after, "limit", limit(limit, FilesPage.PAGE));
  }

  /** A page of a folder of the version ({@code ""}: its top), after the child named {@code after} (null: from the first). */
  static String folder(String id, String dir, String after, int limit) {
    return tab(id, "folder") + query("dir", dir, "after", after, "limit", limit(limit, FilesPage.PAGE));
  }

  static String preview(String id, String path) {
    return tab(id, "preview") + query("path", path);
  }

  /** One file's bytes, as a download. */
  static String download(String id, String path) {
    return version(id) + "/file" + query("path", path);
  }

  /** One file's bytes shown in the page (images in the preview). */
  static String inline(String id, String path) {
    return version(id) + "/file" + query("path", path, "inline", "1");
  }

  /** The whole version as an archive: {@code zip} or {@code tar}. */
  static String archive(String id, String format) {
    return version(id) + "/download." + format;
  }

  /** The files of folder {@code dir} as an archive: {@code zip} or {@code tar}. */
  static String archive(String id, String format, String dir) {
    return archive(id, format) + query("dir", dir);
  }

  static String compare(String source, String target) {
    return "/compare" + query("source", source, "target", target);
  }

  static String compare(String source, String target, String type, long offset, int limit) {
    return "/compare" + query("source", source, "target", target, "type", type, "offset", offset(offset),
        "limit", limit(limit, ComparePage.PAGE));
  }

  private static String offset(long offset) {
    return offset > 0 ? Long.toString(offset) : null;
  }

  private static String limit(int limit, int pageDefault) {
    return limit != pageDefault ? Integer.toString(limit) : null;
  }

  /** {@code ?a=1&b=2} from name/value pairs; null or empty values are left out; "" when none remain. */
  static String query(String... pairs) {
    StringJoiner j = new StringJoiner("&", "?", "");
    j.setEmptyValue("");
    for (int i = 0; i < pairs.length; i += 2) {
      String v = pairs[i + 1];
      if (v != null && !v.isEmpty()) {
        j.add(pairs[i] + "=" + encode(v));
      }
    }
    return j.toString();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
