package dev.cairn.dataset;

import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeBuilder;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code squash}: one version holding the whole content of several, laid over each other in
 * order (a later version wins a path two hold), with no parents: it stands alone, so its sources
 * are fetched whole and checked here first. A squash either closes its version or leaves none;
 * one killed part way is finished by the same squash run again.
 */
final class Squash {
  private Squash() {}

  /** See {@link Dataset#squash}. */
  static Dataset squash(DatasetRepository repo, String project, String name, List<String> ids, String storage, Progress progress)
      throws IOException {
    if (ids.size() < 1) {
      throw new InvalidInputException("Cannot squash: give at least one version id");
    }
    List<DatasetRecord> sources = new ArrayList<>();
    for (String i : ids) {
      DatasetRecord r = repo.catalog().read(repo.catalog().resolve(i));
      if (r.isDraft()) {
        throw new DatasetStateException("Cannot squash draft " + r.id() + ": close it first");
      }
      if (sources.stream().anyMatch(s -> s.id().equals(r.id()))) {
        throw new InvalidInputException("Cannot squash: version " + r.id() + " is given twice");
      }
      sources.add(r);
    }
    // The squash stands alone, with no parent to fetch from later: a source fetched in part is
    // fetched whole first.
    for (DatasetRecord r : sources) {
      String from = repo.contentStorage(r);
      if (from != null && !repo.isComplete(r, Selection.ALL)) {
        repo.fetch(r.id(), Selection.ALL, from, null, progress);
      }
    }
    requireStored(repo, sources);
    String proj = project != null ? project : sources.get(sources.size() - 1).project();
    List<String> sourceIds = sources.stream().map(DatasetRecord::id).toList();
    CreateOptions o = CreateOptions.of(proj, name).description("squash of " + String.join(", ", sourceIds)).storage(storage).build();
    // A squash killed between its close and the end of its upload: the same squash run again
    // uploads that version instead of making a second one.
    DatasetRecord closed = storage == null ? null : UnfinishedSync.closedSquash(repo, o, sourceIds);
    if (closed != null && Dataset.madeForAndNotUploaded(closed, storage)) {
      repo.catalog().setCurrent(closed.id());
      return repo.get(closed.id());
    }
    // A squash killed part way left its draft, owned by a process that ended: the same squash
    // run again finishes that draft instead of leaving it beside a second version.
    Dataset ds = UnfinishedSync.take(repo, o, "squash", sourceIds);
    if (ds == null) {
      ds = VersionLifecycle.create(repo, o, "squash", sourceIds);
    }
    try {
      try (VersionLocks.Lock lock = repo.catalog().lock(ds.id());
          ObjectInserter ins = repo.repository().objects().newInserter();
          ObjectReader reader = ins.newReader()) {
        NodeLoader loader = new NodeLoader(reader);
        progress.start("merging the manifests of " + sources.size() + (sources.size() == 1 ? " version" : " versions"), 0);
        ParentMerge.Result merged;
        try {
          merged = ParentMerge.merge(sourceIds, sources.stream().map(DatasetRecord::root).toList(), loader, ins);
        } finally {
          progress.finish();
        }
        ObjectId empty = new TreeBuilder(ins).finish();
        ins.flush();
        Manifest m = new Manifest(loader, merged.root());
        DatasetRecord r = ds.record();
        // One log entry, the create's, now with the squash's changes (a run taken over writes it again).
        List<LogEntry> log = new ArrayList<>(r.log().subList(0, r.log().size() - 1));
        log.add(new LogEntry(r.log().get(r.log().size() - 1).timeMillis(), "squash", sourceIds, VersionLifecycle.summary(loader, empty, merged.root()), 0));
        List<String> tags = new ArrayList<>(r.tags());
        if (!tags.contains(Dataset.EXTERNAL_FILES_TAG) && holdsLinks(sources, m)) {
          tags.add(Dataset.EXTERNAL_FILES_TAG); // as a draft that external files were added to
        }
        repo.catalog().write(r.toBuilder().base(empty).root(merged.root()).conflicts(merged.conflicts())
            .fileCount(m.entryCount()).totalBytes(m.totalBytes()).log(log).tags(tags).build());
      }
      progress.start("closing " + ds.shortId(), 0);
      try {
        ds.close();
      } finally {
        progress.finish();
      }
      repo.catalog().setCurrent(ds.id());
    } catch (IOException | RuntimeException e) {
      // Not left behind half made: a squash either closes its version or makes none.
      try {
        if (ds.record().isDraft()) {
          ds.delete(true); // marked: its close may have written its version object
        }
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return ds;
  }

  /**
   * Whether the squash holds external files: looked for only when a source was tagged for them
   * (a later source may have replaced them all).
   */
  private static boolean holdsLinks(List<DatasetRecord> sources, Manifest m) {
    if (sources.stream().noneMatch(s -> s.tags().contains(Dataset.EXTERNAL_FILES_TAG))) {
      return false;
    }
    for (Iterator<FileEntry> it = m.iterator(); it.hasNext();) {
      if (it.next().kind() == EntryKind.LINK) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses to squash versions whose data is not all here (damaged, or from a remote that could
   * not give it): the squash, which has no parent to fetch from, would lack it from the start.
   */
  private static void requireStored(DatasetRepository repo, List<DatasetRecord> sources) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      for (DatasetRecord r : sources) {
        FileEntry lacking = StoredContent.firstMissing(reader, r.root(), Selection.ALL);
        if (lacking != null) {
          throw new MissingObjectException(StoredContent.missingObject(reader, lacking),
              "'" + DatasetPaths.printable(lacking.path()) + "' of version " + r.id() + ", so it cannot be squashed");
        }
      }
    }
  }
}
