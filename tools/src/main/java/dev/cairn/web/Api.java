package dev.cairn.web;

import dev.cairn.cli.Views;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.dataset.Usage;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON API under {@code /api}: the data of the pages, in the shapes the command line prints
 * with {@code --json} ({@link Views}). Documented in tools/README.md. Every method returns the
 * document to send.
 */
final class Api {
  private final Site site;

  Api(Site site) {
    this.site = site;
  }

  /** {@code GET /api}: what is here. */
  Object index(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("projects", "/api/projects");
    m.put("datasets", "/api/datasets?project=&q=&tag=&offset=&limit=");
    m.put("dataset", "/api/dataset?project=&name=");
    m.put("versions", "/api/versions?project=&q=&tag=&offset=&limit=");
    m.put("version", "/api/versions/{id}");
    m.put("log", "/api/versions/{id}/log");
    m.put("changes", "/api/versions/{id}/changes?type=&offset=&limit=");
    m.put("files", "/api/versions/{id}/files?offset=&limit=&filter=&after=");
    m.put("folder", "/api/versions/{id}/folder?dir=&after=&limit=");
    m.put("lineage", "/api/versions/{id}/lineage");
    m.put("runs", "/api/versions/{id}/runs");
    m.put("compare", "/api/compare?source=&target=&type=&offset=&limit=");
    m.put("file", "/versions/{id}/file?path=");
    m.put("archive", "/versions/{id}/download.zip | /versions/{id}/download.tar (?dir=FOLDER: that folder's files alone)");
    return m;
  }

  /**
   * {@code GET /api/projects}: each project with its own datasets and versions, and its datasets
   * with those of its subprojects (as the sidebar counts them); a project that holds only
   * subprojects ({@code a} of {@code a/b}) is listed too.
   */
  Object projects(Context ctx) throws IOException {
    // Case-sensitive, as the catalog keeps projects: "Vision" and "vision" stay apart.
    Map<String, long[]> counts = new TreeMap<>();
    for (DatasetSummary d : site.datasets(null, null, null)) {
      long[] c = counts.computeIfAbsent(d.project(), k -> new long[3]);
      c[0]++;
      c[1] += d.versions().size();
      for (String p = d.project(); ; p = p.substring(0, p.lastIndexOf('/'))) {
        counts.computeIfAbsent(p, k -> new long[3])[2]++;
        if (p.lastIndexOf('/') <= 0) {
          break;
        }
      }
    }
    List<Object> out = new ArrayList<>();
    counts.forEach((project, c) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("project", project);
      m.put("datasets", c[0]);
      m.put("versions", c[1]);
      m.put("datasets_with_subprojects", c[2]);
      out.add(m);
    });
    return out;
  }

  /** {@code GET /api/datasets?project=&q=&tag=}. */
  Object datasets(Context ctx) throws IOException {
    List<Object> out = new ArrayList<>();
    // ?project= alone is the unnamed project, as on the datasets page.
    for (DatasetSummary d : Params.slice(ctx, site.datasets(Params.presentOrNull(ctx, "project"), Params.string(ctx, "q"),
        Params.joined(ctx, "tag")))) {
      out.add(dataset(d, false));
    }
    return out;
  }

  /** {@code GET /api/dataset?project=&name=}. */
  Object dataset(Context ctx) throws IOException {
    return dataset(site.dataset(Params.presentOrNull(ctx, "project"), Params.exact(ctx, "name")), true);
  }

  private static Map<String, Object> dataset(DatasetSummary d, boolean allVersions) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("project", d.project());
    m.put("name", d.name());
    m.put("tags", new ArrayList<>(d.tags()));
    m.put("updated", Instant.ofEpochMilli(d.updatedMillis()).toString()); // what the list is sorted by, newest first
    m.put("latest", Views.version(d.latest()));
    if (allVersions) {
      m.put("versions", d.versions().stream().map(r -> {
        Map<String, Object> v = Views.version(r);
        v.put("stored_bytes", r.storedBytes());
        v.put("changes", new TreeMap<>(r.summary().toJson()));
        return v;
      }).toList());
    } else {
      m.put("versions", d.versions().size());
    }
    return m;
  }

  /** {@code GET /api/versions?project=&q=&tag=}: oldest first; {@code ?project=} alone is the unnamed project. */
  Object versions(Context ctx) throws IOException {
    String project = Params.presentOrNull(ctx, "project");
    return Params.slice(ctx, site.repository().list(null, Params.string(ctx, "q"), Site.tagList(Params.joined(ctx, "tag"))).stream()
        .filter(r -> Site.inProject(r.project(), project)).map(Views::version).toList());
  }

  /** {@code GET /api/versions/{id}}. */
  Object version(Context ctx) throws IOException {
    Dataset ds = site.version(ctx.pathParam("id"));
    DatasetRecord r = ds.record();
    Map<String, Object> m = Views.versionDetail(r, ds.conflictsResolvedByDeletion());
    m.put("runs", runs(r.id()));
    return m;
  }

  /** {@code GET /api/versions/{id}/log}. */
  Object log(Context ctx) throws IOException {
    return site.version(ctx.pathParam("id")).record().log().stream().map(Views::log).toList();
  }

  /** {@code GET /api/versions/{id}/runs}. */
  Object runs(Context ctx) throws IOException {
    return runs(site.version(ctx.pathParam("id")).id());
  }

  private List<Object> runs(String id) throws IOException {
    List<Object> out = new ArrayList<>();
    for (Usage.Use u : site.repository().usage().usesOf(id)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", u.run());
      m.put("alias", u.alias());
      m.put("time", Instant.ofEpochMilli(u.timeMillis()).toString());
      out.add(m);
    }
    return out;
  }

  /** {@code GET /api/versions/{id}/changes?type=&offset=&limit=}. */
  Object changes(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      ChangePage page = ChangePage.read(loader, r.base(), r.root(), r.summary(), Params.changeType(ctx),
          Params.nonNegative(ctx, "offset", 0), Params.limit(ctx, ChangesPage.PAGE));
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      return changes(page, d -> provenance.introducer(r, d));
    }
  }

  /** {@code GET /api/compare?source=&target=&type=&offset=&limit=}: what changed from source to target. */
  Object compare(Context ctx) throws IOException {
    String s = Params.string(ctx, "source");
    String t = Params.string(ctx, "target");
    if (s == null || t == null) {
      throw HttpProblem.badRequest("Cannot compare: give source and target version ids");
    }
    DatasetRecord source = site.version(s).record();
    DatasetRecord target = site.version(t).record();
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      ChangePage page = ChangePage.read(loader, source.root(), target.root(), Params.changeType(ctx),
          Params.nonNegative(ctx, "offset", 0), Params.limit(ctx, ComparePage.PAGE));
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", Views.version(source));
      m.put("target", Views.version(target));
      m.putAll(changes(page, d -> d.newEntry() != null ? provenance.introducer(target, d.newEntry())
          : provenance.introducer(source, d.oldEntry())));
      return m;
    }
  }

  private static Map<String, Object> changes(ChangePage page, ChangesPage.StoredIn storedIn) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("summary", new TreeMap<>(page.summary().toJson()));
    m.put("matching", page.matching());
    m.put("offset", page.offset());
    List<Object> rows = new ArrayList<>();
    for (DiffEntry d : page.rows()) {
      Map<String, Object> row = Views.change(d);
      DatasetRecord where = storedIn.of(d);
      row.put("stored_in", where == null ? null : where.id());
      rows.add(row);
    }
    m.put("changes", rows);
    return m;
  }

  /** {@code GET /api/versions/{id}/files?offset=&limit=} or {@code ?filter=&after=&limit=}. */
  Object files(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    String filter = Params.exact(ctx, "filter");
    long offset = Params.offsetWithoutFilter(ctx, filter);
    String after = Params.afterWithFilter(ctx, filter);
    int limit = Params.limit(ctx, FilesPage.PAGE);
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest manifest = new Manifest(loader, r.root());
      FilePage page = filter == null ? FilePage.unfiltered(manifest, offset, limit) : FilePage.filtered(manifest, filter, after, limit);
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("total", page.total());
      if (filter == null) {
        m.put("offset", page.offset());
      } else {
        m.put("filter", filter);
        m.put("scanned", page.scanned());
        m.put("scan_cut", page.scanCut());
        m.put("resume_after", page.resumeAfter());
      }
      m.put("more", page.more());
      StoredFiles stored = StoredFiles.of(site, r, reader);
      List<Object> files = new ArrayList<>();
      for (FileEntry e : page.files()) {
        Map<String, Object> f = Views.file(e);
        DatasetRecord where = provenance.introducer(r, e);
        f.put("stored_in", where == null ? null : where.id());
        f.put("here", e.kind() == EntryKind.FILE && stored.has(e));
        files.add(f);
      }
      m.put("files", files);
      return m;
    }
  }

  /**
   * {@code GET /api/versions/{id}/folder?dir=&after=&limit=}: what folder {@code dir} holds directly,
   * as the folder page lists it; {@code resume_after}, given as {@code after}, gives the next page.
   */
  Object folder(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    String dir = FolderPage.folder(ctx);
    String after = FolderPage.after(ctx);
    int limit = Params.limit(ctx, FilesPage.PAGE);
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest manifest = new Manifest(loader, r.root());
      FolderPage.Listing listing = FolderPage.Listing.of(manifest, dir, after, limit);
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      StoredFiles stored = StoredFiles.of(site, r, reader);
      List<Object> entries = new ArrayList<>();
      for (Manifest.Child c : listing.children()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", c.name());
        e.put("folder", c.isFolder());
        if (c.isFolder()) {
          Manifest.Totals under = manifest.under(dir.isEmpty() ? c.name() : dir + "/" + c.name());
          e.put("files", under.entries());
          e.put("bytes", under.bytes());
        } else {
          e.putAll(Views.file(c.file()));
          DatasetRecord where = provenance.introducer(r, c.file());
          e.put("stored_in", where == null ? null : where.id());
          e.put("here", c.file().kind() == EntryKind.FILE && stored.has(c.file()));
        }
        entries.add(e);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", dir);
      m.put("more", listing.more());
      m.put("resume_after", listing.resumeAfter());
      m.put("entries", entries);
      return m;
    }
  }

  /** {@code GET /api/versions/{id}/lineage}: every ancestor, laid out in layers, oldest first. */
  Object lineage(Context ctx) throws IOException {
    Dataset ds = site.version(ctx.pathParam("id"));
    Dataset.Ancestry ancestry = ds.ancestry();
    Lineage lineage = Lineage.of(ds.id(), ancestry.parents(), site::recordOrNull, site::unreadable, ancestry.deleted());
    List<Object> nodes = new ArrayList<>();
    for (Lineage.Node n : lineage.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", n.id());
      m.put("parents", n.parents());
      m.put("layer", n.layer());
      DatasetRecord r = n.record();
      m.put("deleted", r == null && !n.unreadable());
      if (n.unreadable()) {
        m.put("unreadable", true);
      }
      DatasetRecord gone = r == null ? ancestry.deleted().get(n.id()) : null;
      if (gone != null) { // as its version object keeps them
        m.put("project", gone.project());
        m.put("name", gone.name());
        m.put("version", gone.version());
      }
      if (r != null) {
        m.put("project", r.project());
        m.put("name", r.name());
        m.put("version", r.version());
        m.put("state", r.state().label());
        m.put("changes", new TreeMap<>(r.summary().toJson()));
        m.put("files", r.fileCount());
        m.put("bytes", r.totalBytes());
        m.put("stored_bytes", r.storedBytes());
      }
      nodes.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ds.id());
    m.put("nodes", nodes);
    return m;
  }
}
