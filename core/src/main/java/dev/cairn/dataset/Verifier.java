package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.TaskWindow;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.fs.FileStat;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.io.Text;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/** Checks a version's stored objects, or a folder against a version. */
final class Verifier {
  private Verifier() {}

  /**
   * Reads every node, file object and chunk of the version, checking hashes and digests. A file
   * whose objects are absent was not fetched when the version's remote, or its remote ancestor's,
   * holds it ({@link RemoteAncestors}); otherwise it is damage.
   */
  static List<VerifyProblem> verifyStored(DatasetRepository repo, DatasetRecord r, Progress progress) throws IOException {
    return walk(repo, r, progress, (reader, links, e, problems) -> {
      if (e.kind() == EntryKind.LINK) {
        checkLink(repo, links, e, problems);
        return;
      }
      try (InputStream in = reader.openContent(e.fileContent())) {
        ObjectId d = digest(repo, in);
        if (!d.equals(e.digest())) {
          problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.DAMAGED, "stored bytes hash to " + d.hex()));
        }
      }
    });
  }

  /**
   * Checks that every object of the version is here with the size the manifest expects, without
   * reading file contents: file objects are read (they list the chunks), chunks only looked up in
   * the index. Finds lost objects and truncated or mixed-up chunks, not damaged bytes. Linked files
   * must exist with their recorded size. A missing object is {@code NOT_FETCHED} as for
   * {@link #verifyStored}.
   */
  static List<VerifyProblem> verifyStoredSizes(DatasetRepository repo, DatasetRecord r) throws IOException {
    ObjectDatabase db = repo.repository().objects();
    return walk(repo, r, Progress.NONE, (reader, links, e, problems) -> {
      if (e.kind() == EntryKind.LINK) {
        checkLinkSize(links, e, problems);
        return;
      }
      VerifyProblem problem = sizeProblem(db, e, reader.chunksOf(e.fileContent()));
      if (problem != null) {
        problems.add(problem);
      }
    });
  }

  /** A check of one manifest entry, adding what it finds to {@code problems}. */
  @FunctionalInterface
  private interface EntryCheck {
    void check(ObjectReader reader, ExternalFiles links, FileEntry e, List<VerifyProblem> problems) throws IOException;
  }

  /**
   * Checks the version object of {@code r}, then runs {@code check} on every entry of its
   * manifest: an object missing for one entry is not fetched when its data is on the version's
   * remote or its remote ancestor's ({@link RemoteAncestors#onRemote}), else damage; other damage
   * is reported against its entry, and a manifest that cannot be read is one problem. Entries are
   * checked on up to four threads; the problems come sorted by path.
   */
  private static List<VerifyProblem> walk(DatasetRepository repo, DatasetRecord r, Progress progress, EntryCheck check) throws IOException {
    progress.start("verifying " + Text.count(r.fileCount(), "file"), r.totalBytes());
    try {
      return walkEntries(repo, r, progress, check);
    } finally {
      progress.finish();
    }
  }

  private static List<VerifyProblem> walkEntries(DatasetRepository repo, DatasetRecord r, Progress progress, EntryCheck check)
      throws IOException {
    List<VerifyProblem> problems = new ArrayList<>();
    DatasetRecord remote = new RemoteAncestors(repo.catalog()).of(r);
    // The manifest's nodes come whole with a fetch: missing ones are not fetched only when the version itself is on a remote.
    String storage = remote != null && remote.id().equals(r.id()) ? remote.storage() : null;
    int threads = Workers.perCore(4);
    // Capped to one thread (MaxWorkers.of(1)): checked on this one, between reads of the manifest.
    ExecutorService pool = Workers.single() ? null : Workers.pool("cairn-verify", threads);
    try (ObjectReader reader = repo.repository().objects().newReader();
        ExternalFiles links = new ExternalFiles(repo.storageConf(), repo.repository().objects().algorithm())) {
      checkVersionObject(reader, r, problems);
      // Runs of files to the pool's threads: reading, decompressing and hashing are per file, and a
      // version of small files is as many lookups as files.
      TaskWindow tasks = new TaskWindow(pool != null ? pool : Runnable::run, threads * 4, "verifying");
      try {
        List<FileEntry> run = new ArrayList<>();
        long runBytes = 0;
        for (FileEntry e : new Manifest(new NodeLoader(reader), r.root())) {
          run.add(e);
          runBytes += e.size();
          if (run.size() >= RUN_FILES || runBytes >= RUN_BYTES) {
            submit(tasks, List.copyOf(run), reader, links, r, remote, progress, check, problems);
            run.clear();
            runBytes = 0;
          }
        }
        submit(tasks, List.copyOf(run), reader, links, r, remote, progress, check, problems);
        tasks.finish();
      } catch (UncheckedIOException ex) {
        if (!(ex.getCause() instanceof CairnException)) {
          throw ex.getCause(); // the reading failed (interrupted, say): no finding about the data
        }
        tasks.finish(); // what the runs before the damaged node found
        problems.add(manifestProblem(ex.getCause(), storage));
      } finally {
        if (pool != null) {
          pool.shutdownNow(); // after a failure, the runs still queued are dropped
          Workers.awaitQuietly(pool, 10);
        }
      }
    } catch (CairnException ex) {
      synchronized (problems) {
        problems.add(manifestProblem(ex, storage));
      }
    }
    synchronized (problems) { // (a run that ignored its interruption past the wait above adds under this lock)
      problems.sort(Comparator.comparing(VerifyProblem::path, DatasetPaths::compare));
      return new ArrayList<>(problems);
    }
  }

  /** Files, and their bytes, that one task of {@link #walk} checks at most. */
  private static final int RUN_FILES = 256;
  private static final long RUN_BYTES = 16L << 20;

  /**
   * Checks {@code run} on the pool: an object missing for one entry is not fetched when its data is
   * on the version's remote or its remote ancestor's, else damage; other damage is reported against
   * its entry. The run's findings join {@code problems} when it ends.
   */
  private static void submit(TaskWindow tasks, List<FileEntry> run, ObjectReader reader, ExternalFiles links, DatasetRecord r,
      DatasetRecord remote, Progress progress, EntryCheck check, List<VerifyProblem> problems) throws IOException {
    if (run.isEmpty()) {
      return;
    }
    tasks.submit(() -> {
      List<VerifyProblem> found = new ArrayList<>();
      for (FileEntry e : run) {
        progress.advance(e.size()); // counted as checked, found whole or not
        try {
          check.check(reader, links, e, found);
        } catch (MissingObjectException ex) {
          found.add(RemoteAncestors.onRemote(e, r, remote, reader) ? missing(e.path(), remote.storage(), ex.getMessage())
              : new VerifyProblem(e.path(), VerifyProblem.Kind.DAMAGED, ex.getMessage()));
        } catch (CairnException ex) {
          found.add(new VerifyProblem(e.path(), VerifyProblem.Kind.DAMAGED, ex.getMessage()));
        }
      }
      synchronized (problems) {
        problems.addAll(found);
      }
    });
  }

  /**
   * A closed version's object (what its children and remotes name it by) must be here, whole, and
   * point to the manifest the record names; a draft has none yet.
   */
  private static void checkVersionObject(ObjectReader reader, DatasetRecord r, List<VerifyProblem> problems) throws IOException {
    ObjectId id = r.versionObject();
    if (id == null) {
      return;
    }
    String what = "version object " + id.abbreviate(16);
    try {
      Version v = VersionFormat.decode(reader.open(id).bytes(), id);
      if (!v.root().equals(r.root())) {
        problems.add(new VerifyProblem("", VerifyProblem.Kind.DAMAGED, what + " names manifest " + v.root().abbreviate(16)
            + ", the record " + r.root().abbreviate(16)));
      }
    } catch (MissingObjectException e) {
      // Known from its remote only (the ancestor of a version fetched): not damage.
      problems.add(missing("", r.storage(), what + " is missing", what + ": ")); // on its remote, if it has one
    } catch (CairnException e) {
      problems.add(new VerifyProblem("", VerifyProblem.Kind.DAMAGED, what + ": " + e.getMessage()));
    }
  }

  /** A manifest that cannot be read: not fetched when its node is missing and the version has a remote, else damage. */
  private static VerifyProblem manifestProblem(IOException e, String storage) {
    return e instanceof MissingObjectException ? missing("", storage, "manifest: " + e.getMessage(), "manifest: ")
        : new VerifyProblem("", VerifyProblem.Kind.DAMAGED, "manifest: " + e.getMessage());
  }

  /** What is wrong with the sizes of the chunks of {@code e}, or null. */
  private static VerifyProblem sizeProblem(ObjectDatabase db, FileEntry e, List<ChunkRef> chunks) throws IOException {
    long total = 0;
    for (ChunkRef ref : chunks) {
      long n = db.sizeOf(ref.id());
      if (n < 0) {
        throw new MissingObjectException(ref.id(), "chunk " + ref.id().abbreviate(16));
      }
      if (n != ref.size()) {
        return new VerifyProblem(e.path(), VerifyProblem.Kind.DAMAGED,
            "chunk " + ref.id().abbreviate(16) + " has " + Text.count(n, "byte") + ", expected " + ref.size());
      }
      total += n;
    }
    return total == e.size() ? null
        : new VerifyProblem(e.path(), VerifyProblem.Kind.DAMAGED, "stored chunks hold " + Text.count(total, "byte") + ", expected " + e.size());
  }

  private static VerifyProblem missing(String path, String storage, String detail) {
    return missing(path, storage, detail, "");
  }

  /** As above; {@code what} names an object that has no path (the version object, the manifest). */
  private static VerifyProblem missing(String path, String storage, String detail, String what) {
    return storage != null
        ? new VerifyProblem(path, VerifyProblem.Kind.NOT_FETCHED, what + "not fetched: expected on " + storage)
        : new VerifyProblem(path, VerifyProblem.Kind.DAMAGED, detail);
  }

  private static void checkLinkSize(ExternalFiles links, FileEntry e, List<VerifyProblem> problems) {
    try {
      long size = links.size(e);
      if (size < 0) {
        problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.MISSING, "linked file " + e.uri() + " is gone"));
      } else if (size != e.size()) {
        problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.SIZE,
            "linked file " + e.uri() + " has " + Text.count(size, "byte") + ", expected " + e.size()));
      }
    } catch (IOException ex) {
      problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.UNREACHABLE, "linked file " + e.uri() + ": " + ex.getMessage()));
    }
  }

  private static void checkLink(DatasetRepository repo, ExternalFiles links, FileEntry e, List<VerifyProblem> problems) {
    try (InputStream in = links.open(e)) {
      ObjectId d = digest(repo, in);
      if (!d.equals(e.digest())) {
        problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.CONTENT, "linked file " + e.uri() + " changed since it was added"));
      }
    } catch (IOException ex) {
      problems.add(gone(links, e) ? new VerifyProblem(e.path(), VerifyProblem.Kind.MISSING, "linked file " + e.uri() + " is gone")
          : new VerifyProblem(e.path(), VerifyProblem.Kind.UNREACHABLE, "linked file " + e.uri() + ": " + ex.getMessage()));
    }
  }

  /** Whether a linked file that could not be read is no longer there (rather than unreachable). */
  private static boolean gone(ExternalFiles links, FileEntry e) {
    try {
      return links.size(e) < 0;
    } catch (IOException unknown) {
      return false;
    }
  }

  static ObjectId digest(DatasetRepository repo, InputStream in) throws IOException {
    Hasher h = repo.repository().objects().algorithm().newHasher();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      h.update(buf, 0, n);
    }
    return h.digest();
  }

  /**
   * The files below {@code dir}, as a sync reads them: a link to a folder is followed (but not one
   * to a folder above it), a link to a file is a file, one that leads nowhere is left out, and so
   * is {@code skipped} (the repository, when it lies inside).
   */
  private static void listFiles(Path dir, String prefix, Path skipped, Set<Path> walked, List<String> out) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.toList();
    }
    for (Path child : children) {
      if (SetAside.isCopyEntry(child.getFileName().toString())) {
        continue; // a get --copy's hidden work, as a sync skips it
      }
      String rel = prefix + child.getFileName().toString();
      if (Files.isDirectory(child)) { // a link to a folder included
        Path real = child.toRealPath();
        if ((skipped == null || !real.startsWith(skipped)) && walked.add(real)) {
          listFiles(child, rel + "/", skipped, walked, out);
          walked.remove(real); // the folders above: a link back to one of them is not followed
        }
      } else if (Files.isRegularFile(child)) { // a link to a file included; one that leads nowhere is skipped, as a sync skips it
        out.add(rel);
      }
    }
  }

  /**
   * Compares every file of {@code folder} that {@code selection}'s filters match with the files of
   * the version that {@code selection} takes: presence, size, then (unless {@code sizesOnly}, which
   * reads no file) digest and executable bit.
   */
  static List<VerifyProblem> verifyFolder(DatasetRepository repo, ObjectId root, Selection selection, Path folder, boolean sizesOnly)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("Cannot verify " + folder + ": not a folder");
    }
    List<VerifyProblem> problems = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      Manifest version = new Manifest(new NodeLoader(reader), root);
      for (FileEntry e : selection.select(version)) {
        expected.add(e.path());
        Path f = folder.resolve(e.path());
        if (!Files.isRegularFile(f)) {
          problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.MISSING, "not in the folder"));
          continue;
        }
        long size = Files.size(f);
        if (size != e.size()) {
          problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.SIZE, Text.count(size, "byte") + ", expected " + e.size()));
          continue;
        }
        if (sizesOnly) {
          continue;
        }
        ObjectId d;
        try (InputStream in = Files.newInputStream(f)) {
          d = digest(repo, in);
        } catch (AccessDeniedException | NoSuchFileException opening) {
          throw opening; // named by the error itself
        } catch (IOException reading) { // a failing disk says only "Input/output error"
          throw new IOException("Cannot verify " + f + ": reading it failed (" + IoErrors.reason(reading) + ")", reading);
        }
        if (!d.equals(e.digest())) {
          problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.CONTENT, "hash " + d.abbreviate(16) + ", expected " + e.digest().abbreviate(16)));
          continue;
        }
        boolean executable = FileStat.of(f).executable();
        if (executable != e.executable()) {
          problems.add(new VerifyProblem(e.path(), VerifyProblem.Kind.MODE, executable ? "executable, expected not" : "not executable, expected executable"));
        }
      }
      // The repository's own folder, if it lies inside, is not part of the data (FolderScanner skips
      // it). A folder inside the repository (a cached copy) is checked whole.
      Path folderReal = folder.toRealPath();
      Path repoReal = repo.repository().directory().toRealPath();
      boolean repoInside = repoReal.startsWith(folderReal) && !repoReal.equals(folderReal);
      List<String> found = new ArrayList<>();
      listFiles(folder, "", repoInside ? repoReal : null, new HashSet<>(List.of(folderReal)), found);
      for (String rel : found) {
        // Filters limit the check, in the folder too (as a pathspec limits git diff): a file they
        // do not match is not looked at, whether the folder is a filtered copy or a whole one.
        if (!expected.contains(rel) && selection.matches(rel)) {
          // Of a part or a filter: a file of the version that the selection leaves out is not "not in the version".
          boolean inVersion = !selection.isAll() && version.lookup(rel) != null;
          problems.add(new VerifyProblem(rel, VerifyProblem.Kind.UNEXPECTED, inVersion
              ? "in the version, but not among the files the part or filter takes" : "not in the version"));
        }
      }
    }
    problems = namingOtherForms(problems);
    problems.sort(Comparator.comparing(VerifyProblem::path, DatasetPaths::compare));
    return problems;
  }

  /**
   * {@code problems}, where a file missing from the folder is there under its name spelt in
   * another Unicode form (a copy through a system that recomposes names), with both lines saying
   * so: they would read as the same name, missing and unexpected.
   */
  private static List<VerifyProblem> namingOtherForms(List<VerifyProblem> problems) {
    Map<String, VerifyProblem> unexpected = new HashMap<>();
    for (VerifyProblem p : problems) {
      if (p.kind() == VerifyProblem.Kind.UNEXPECTED && !DatasetPaths.otherForms(p.path()).isEmpty()) {
        unexpected.put(DatasetPaths.nfc(p.path()), p);
      }
    }
    if (unexpected.isEmpty()) {
      return problems;
    }
    List<VerifyProblem> out = new ArrayList<>(problems.size());
    Map<VerifyProblem, VerifyProblem> respelt = new HashMap<>();
    for (VerifyProblem p : problems) {
      VerifyProblem twin = p.kind() == VerifyProblem.Kind.MISSING ? unexpected.get(DatasetPaths.nfc(p.path())) : null;
      if (twin != null && !twin.path().equals(p.path())) {
        out.add(new VerifyProblem(p.path(), p.kind(), "not in the folder, which holds it as " + DatasetPaths.quotedWithForm(twin.path())));
        respelt.put(twin, new VerifyProblem(twin.path(), twin.kind(), "not in the version, which holds it as "
            + DatasetPaths.quotedWithForm(p.path())));
      } else {
        out.add(p);
      }
    }
    out.replaceAll(p -> respelt.getOrDefault(p, p));
    return out;
  }
}
