package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.memory.InMemoryObjectDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderMergeTest {
  private static FileEntry entry(String path, String text) {
    var digest = HashAlgorithm.SHA256.hash(text.getBytes(StandardCharsets.UTF_8));
    return FileEntry.file(path, new FileContent(text.length(), digest, digest), false);
  }


  @Test
  void looksAheadAtTheEntriesABatchWillMeetAndAppliesTheDifferences() throws Exception {
    InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);
    try (ObjectInserter ins = db.newInserter()) {
      NodeLoader loader = new NodeLoader(ins.newReader());
      Manifest m = new Manifest(loader, Manifest.build(ins, List.of(entry("a", "1"), entry("d/b", "2"), entry("d/c", "3"),
          entry("d/e", "4"), entry("x", "5"))));
      DraftChanges.FolderMerge merge = new DraftChanges.FolderMerge(m, "d", new ManifestEditor(loader, ins).begin(m.root()));

      assertThat(merge.current(List.of("d/b", "d/bb", "d/c"))).containsExactly(entry("d/b", "2"), null, entry("d/c", "3"));
      merge.accept(entry("d/b", "2"));      // unchanged
      merge.accept(entry("d/bb", "new"));   // added
      merge.accept(entry("d/c", "changed"));
      // the next batch starts after what was merged; entries looked at twice are merged once
      assertThat(merge.current(List.of("d/d", "d/z"))).containsExactly(null, null);
      merge.accept(entry("d/d", "new too"));
      List<FileEntry> after = new ArrayList<>();
      new Manifest(loader, merge.finish()).forEach(after::add);
      // "a" and "x" are outside the folder and stay; "d/e" had no file and goes
      assertThat(after).containsExactly(entry("a", "1"), entry("d/b", "2"), entry("d/bb", "new"), entry("d/c", "changed"),
          entry("d/d", "new too"), entry("x", "5"));
    }
  }

  @Test
  void withoutDifferencesTheManifestStaysAsItWas() throws Exception {
    InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);
    try (ObjectInserter ins = db.newInserter()) {
      NodeLoader loader = new NodeLoader(ins.newReader());
      Manifest m = new Manifest(loader, Manifest.build(ins, List.of(entry("a", "1"), entry("b", "2"))));
      DraftChanges.FolderMerge merge = new DraftChanges.FolderMerge(m, "", new ManifestEditor(loader, ins).begin(m.root()));
      merge.accept(entry("a", "1"));
      merge.accept(entry("b", "2"));
      assertThat(merge.finish()).isEqualTo(m.root());
    }
  }
}
