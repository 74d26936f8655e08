package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content that came from a parent deleted since: still shown, and said to come from an ancestor no longer here. */
class WebDeletedParentTest {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void contentFromADeletedParentIsSaidToBeStoredInADeletedVersion() throws Exception {
    Path files = tmp.resolve("files");
    Files.createDirectories(files);
    Files.writeString(files.resolve("kept.txt"), "kept");
    Files.writeString(files.resolve("gone.txt"), "gone");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Dataset parent = Dataset.create(repo, CreateOptions.of("p", "d").build());
      parent.addFiles(AddOptions.of(files));
      parent.close();
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(parent.id()).build());
      Files.writeString(files.resolve("new.txt"), "new");
      Files.delete(files.resolve("gone.txt"));
      child.syncFolder(files);
      child.close();
      parent.delete(true);
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        Map<String, Object> listing = (Map<String, Object>) Json.parse(get(http, base + "/api/versions/" + child.id() + "/files"));
        Map<String, Object> storedIn = new TreeMap<>();
        ((List<Map<String, Object>>) listing.get("files")).forEach(f -> storedIn.put((String) f.get("path"), f.get("stored_in")));
        // Found through the deleted parent's version object: named, not linked (its page is gone).
        assertThat(storedIn).containsEntry("kept.txt", parent.id()).containsEntry("new.txt", child.id());
        assertThat(get(http, base + Links.files(child.id(), null, 0))).contains("d 1.0.0 (deleted)")
            .doesNotContain("href=\"" + Links.version(parent.id()) + "\"").doesNotContain("not known here");
        assertThat(get(http, base + Links.preview(child.id(), "kept.txt"))).contains("d 1.0.0 (deleted)");
        // the child's change-set: the removed file's content was stored in the deleted parent
        assertThat(get(http, base + Links.changes(child.id(), "removed", 0))).contains("gone.txt").contains("d 1.0.0 (deleted)");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aParentWhoseRecordIsUnreadableLeavesItsChildsPagesWhole() throws Exception {
    Path files = tmp.resolve("files");
    Files.createDirectories(files);
    Files.writeString(files.resolve("a.txt"), "a");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Dataset parent = Dataset.create(repo, CreateOptions.of("p", "d").build());
      parent.addFiles(AddOptions.of(files));
      parent.close();
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(parent.id()).build());
      Files.writeString(files.resolve("b.txt"), "b");
      child.syncFolder(files);
      child.close();
      Files.writeString(tmp.resolve("repo/refs/datasets/" + parent.id() + ".json"), "{\"format\":1,\"id\":\"cut");
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        assertThat(get(http, base + "/versions/" + child.id())).contains("(unreadable record)");
        assertThat(get(http, base + "/versions/" + child.id() + "/lineage")).contains("unreadable record");
        get(http, base + Links.files(child.id(), null, 0));
        get(http, base + "/versions/" + child.id() + "/changes");
        get(http, base + "/compare?source=" + child.id() + "&target=" + child.id());
        Map<String, Object> lineage = (Map<String, Object>) Json.parse(get(http, base + "/api/versions/" + child.id() + "/lineage"));
        assertThat((List<Map<String, Object>>) lineage.get("nodes")).filteredOn(n -> parent.id().equals(n.get("id")))
            .singleElement().satisfies(n -> assertThat(n).containsEntry("unreadable", true).containsEntry("deleted", false));
        get(http, base + "/api/versions/" + child.id() + "/files");
      }
    }
  }

  /** A folder holding {@code pathThenContent} pairs. */
  private Path folder(String name, String... pathThenContent) throws IOException {
    Path f = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < pathThenContent.length; i += 2) {
      Files.writeString(f.resolve(pathThenContent[i]), pathThenContent[i + 1]);
    }
    return f;
  }

  private static Dataset version(DatasetRepository repo, Path folder, String... parents) throws IOException {
    Dataset d = Dataset.create(repo, CreateOptions.of("p", "m").parents(parents).build());
    d.syncFolder(folder);
    d.close();
    return d;
  }

  @Test
  void conflictsNameADeletedParentWithoutALinkAndASquashSaysWhatItWasMadeFrom() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Dataset v = version(repo, folder("v", "README.txt", "v", "labels.csv", "v", "\u202Eevil.txt", "x"));
      Dataset a = version(repo, folder("a", "labels.csv", "a", "\u202Eevil.txt", "x"), v.id()); // deletes README.txt
      Dataset b = version(repo, folder("b", "README.txt", "b", "labels.csv", "b", "\u202Eevil.txt", "x"), v.id());
      Dataset merge = Dataset.create(repo, CreateOptions.of("p", "m").parents(a.id(), b.id()).build());
      merge.close();
      Dataset flat = Dataset.squash(repo, "p", "flat", List.of(a.id(), b.id()));
      a.delete(true);
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        String page = get(http, base + Links.version(merge.id()));
        assertThat(page).contains("Conflicts of the parent merge").contains("Parents in conflict")
            .contains(Text.shortId(a.id()) + " (deleted)").doesNotContain("href=\"" + Links.version(a.id()) + "\"")
            .contains(Text.shortId(a.id()) + " (deleted)</span>, <a href=\"" + Links.version(b.id()) + "\"")
            .contains("href=\"" + Links.version(b.id()) + "\"");
        // On no remote: said, as cairn lock warns of it.
        assertThat(page).contains("<span class=\"muted\">here only: never uploaded to a remote</span>");
        // Its change-set page, empty, leads to the comparison with each parent.
        assertThat(get(http, base + Links.tab(merge.id(), "changes"))).contains("No changes on top of the parents merged. Compare it with ")
            .contains("href=\"" + Links.compare(b.id(), merge.id()).replace("&", "&amp;") + "\">parent " + Text.shortId(b.id()) + "</a>.")
            .as("a deleted parent is named, not linked to a compare that cannot be made")
            .contains(">parent " + Text.shortId(a.id()) + " (deleted)</span>")
            .doesNotContain(Links.compare(a.id(), merge.id()).replace("&", "&amp;"));
        // A comparison that finds nothing says so, not what the merge's own change-set says.
        assertThat(get(http, base + Links.compare(merge.id(), merge.id()))).contains("No differences: it is the same version.")
            .doesNotContain("on top of the parents merged");
        // The genealogy lists a deleted version's parents, known from its version object, as the drawing joins them.
        String lineage = get(http, base + Links.tab(merge.id(), "lineage"));
        String row = lineage.substring(lineage.indexOf("<tr data-id=\"" + a.id() + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        // Named as its version object keeps its name and version string, here and in the drawing.
        assertThat(row).contains("m 1.0.1 (deleted)").contains("href=\"" + Links.version(v.id()) + "\"");
        assertThat(lineage).contains(">m 1.0.1 (deleted)</text>");
        assertThat(page).as("the parents row").contains("<span class=\"muted\" title=\"" + a.id() + " was deleted\">m 1.0.1 (deleted)</span>");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
            get(http, base + "/api/versions/" + merge.id() + "/lineage"))).get("nodes");
        assertThat(nodes).filteredOn(n -> n.get("id").equals(a.id())).singleElement().satisfies(n -> assertThat(n)
            .containsEntry("deleted", true).containsEntry("project", "p").containsEntry("name", "m").containsEntry("version", "1.0.1"));
        // A merge's change-set is against the parents merged; each parent's difference is shown beside it.
        assertThat(page).contains("Against each parent:").contains("href=\"" + Links.compare(b.id(), merge.id()).replace("&", "&amp;") + "\"");
        String squashed = get(http, base + Links.version(flat.id()));
        assertThat(squashed).contains("Conflicts between the versions it was made from").contains("Versions in conflict")
            .contains("between the versions it was made from (the last one won)").doesNotContain("between parents");
        // A name that reverses the text after it is shown with its control visible.
        String files = get(http, base + Links.files(v.id(), null, 0));
        assertThat(files).contains("\\u202Eevil.txt");
        assertThat(files.replaceAll("<[^>]*>", "")).as("the text shown, attributes left out").doesNotContain("\u202E");
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
