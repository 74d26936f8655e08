package dev.cairn.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.store.FileContent;
import dev.cairn.store.InsertStats;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's scaling promise, measured in bytes: one changed file in a flat folder of a million
 * files writes a few nodes, not the folder.
 */
class ManifestScaleTest {
  static final int N = 1_000_000;

  @TempDir Path tmp;

  /** A flat folder of a million files, generated on the fly. */
  static List<FileEntry> flatFolder(int n) {
    return new AbstractList<>() {
      @Override
      public FileEntry get(int i) {
        String path = String.format("train/img%07d.jpg", i);
        byte[] seed = new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)};
        ObjectId digest = HashAlgorithm.SHA256.hash(seed);
        return FileEntry.file(path, new FileContent(1000 + i % 5000, digest, digest), false);
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  @Test
  void oneChangedFileInAMillionWritesUnder64KiB() throws IOException {
    try (Repository repo = Repository.create(tmp.resolve("r"), RepositoryConfig.DEFAULT)) {
      ObjectId root;
      try (ObjectInserter ins = repo.objects().newInserter()) {
        root = Manifest.build(ins, flatFolder(N));
        ins.flush();
      }
      FileEntry changed = ManifestFixtures.entry("train/img0500000.jpg", 42);
      try (ObjectInserter ins = repo.objects().newInserter(); ObjectReader reader = repo.objects().newReader()) {
        AtomicLong reads = new AtomicLong();
        NodeLoader loader = new NodeLoader(new CountingReader(reader, reads), 16);
        ObjectId edited = new ManifestEditor(loader, ins).apply(root, List.of(Edit.put(changed)));
        ins.flush();
        InsertStats stats = ins.stats();
        System.out.printf("one-file edit of %d entries: %d nodes, %d raw bytes, %d stored bytes, %d nodes read%n",
            N, stats.objectsWritten(), stats.rawBytesWritten(), stats.storedBytesWritten(), reads.get());
        assertThat(stats.rawBytesWritten()).as("new manifest bytes").isLessThan(64 << 10);
        assertThat(stats.storedBytesWritten()).as("stored bytes").isLessThan(64 << 10);
        assertThat(stats.objectsWritten()).as("nodes written").isLessThanOrEqualTo(12);
        assertThat(reads.get()).as("nodes read").isLessThanOrEqualTo(24);

        Manifest m = new Manifest(new NodeLoader(reader), edited);
        assertThat(m.entryCount()).isEqualTo(N);
        assertThat(m.lookup(changed.path())).isEqualTo(changed);
        reads.set(0);
        List<DiffEntry> diff = new ManifestDiff(new NodeLoader(new CountingReader(reader, reads), 16)).diff(root, edited);
        assertThat(diff).hasSize(1);
        assertThat(diff.get(0).type()).isEqualTo(DiffEntry.ChangeType.MODIFIED);
        assertThat(reads.get()).as("nodes read by diff").isLessThanOrEqualTo(24);
      }
    }
  }

  /** Counts object reads. */
  record CountingReader(ObjectReader inner, AtomicLong reads) implements ObjectReader {
    @Override
    public dev.cairn.store.ObjectLoader open(ObjectId id) throws IOException {
      reads.incrementAndGet();
      return inner.open(id);
    }

    @Override
    public boolean has(ObjectId id) throws IOException {
      return inner.has(id);
    }

    @Override
    public List<ObjectId> resolve(dev.cairn.id.AbbreviatedObjectId prefix, int limit) throws IOException {
      return inner.resolve(prefix, limit);
    }

    @Override
    public void close() {}
  }
}
