package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.memory.InMemoryObjectDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderMergeTest {
  private static FileEntry entry(String path, String text) {
    var digest = HashAlgorithm.SHA256.hash(text.getBytes(StandardCharsets.UTF_8));
    return FileEntry.file(path, new FileContent(text.length(), digest, digest), false);
  }

  private static Manifest manifest(InMemoryObjectDatabase db, FileEntry... entries) throws Exception {
    try (ObjectInserter ins = db.newInserter()) {
      var root = Manifest.build(ins, Arrays.asList(entries));
      ins.flush();
      return new Manifest(new NodeLoader(db.newReader()), root);
    }
  }

  @Test
  void looksAheadAtTheEntriesABatchWillMeetAndMergesThemOnce() throws Exception {
    InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);
    Manifest m = manifest(db, entry("a", "1"), entry("d/b", "2"), entry("d/c", "3"), entry("d/e", "4"), entry("x", "5"));
    DraftChanges.FolderMerge merge = new DraftChanges.FolderMerge(m, "d");

    assertThat(merge.current(List.of("d/b", "d/bb", "d/c"))).containsExactly(entry("d/b", "2"), null, entry("d/c", "3"));
    merge.accept(entry("d/b", "2"));      // unchanged
    merge.accept(entry("d/bb", "new"));   // added
    merge.accept(entry("d/c", "changed"));
    // the next batch starts after what was merged; entries looked at twice are still merged once
    assertThat(merge.current(List.of("d/d", "d/z"))).containsExactly(null, null);
    merge.accept(entry("d/d", "new too"));
    List<String> edits = new ArrayList<>();
    for (Edit e : merge.finish()) {
      edits.add((e.entry() == null ? "-" : "+") + e.path());
    }
    // "a" and "x" are outside the folder; "d/e" had no file
    assertThat(edits).containsExactly("+d/bb", "+d/c", "+d/d", "-d/e");
  }
}
