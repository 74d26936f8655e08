package dev.cairn.dataset;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.io.Text;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stores files on disk as dataset entries: files whose attributes match the {@link StatCache} are
 * not read at all; the others are read, chunked and stored by several threads at once. A file that
 * changes while it is read is refused.
 */
final class FileIngester {
  /** Files handed to the worker threads at a time. */
  private static final int BATCH = 4096;
  /**
   * How long an add that ended waits for a file still being read to stop at its next read before
   * it interrupts it (a read hung on a network file system).
   */
  private static final long AWAIT_WORKERS_SECONDS = 60;

  private final StatCache statCache;
  private final Progress progress;
  private final boolean rehash;

  FileIngester(StatCache statCache, Progress progress, boolean rehash) {
    this.statCache = statCache;
    this.progress = Progress.orNone(progress);
    this.rehash = rehash;
  }

  /** Result: the entries, in the order of the input, and how many files had to be read. */
  record Result(List<FileEntry> entries, long filesRead, long bytesRead) {}

  Result ingest(List<SourceFile> files, ObjectInserter inserter) throws IOException {
    return ingest(files, inserter, null, null);
  }

  /**
   * Like {@link #ingest(List, ObjectInserter)} into the draft {@code draft}: what it holds at the
   * path of a file that must be read guides the file's chunking (an edited file is cut again only
   * around its edits). Looked up for those files only.
   */
  Result ingest(List<SourceFile> files, ObjectInserter inserter, Manifest draft) throws IOException {
    return ingest(files, inserter, null, draft);
  }

  /**
   * Like {@link #ingest(List, ObjectInserter)}, given what the draft holds at each file's path
   * ({@code current}, null entries where nothing): a remembered content that the draft holds at
   * that path is known to be stored, so only the others are looked up (a sync of a million
   * unchanged files then looks up none).
   */
  Result ingest(List<SourceFile> files, ObjectInserter inserter, List<FileEntry> current) throws IOException {
    return ingest(files, inserter, current, null);
  }

  private Result ingest(List<SourceFile> files, ObjectInserter inserter, List<FileEntry> current, Manifest draft)
      throws IOException {
    long readFrom = System.currentTimeMillis(); // no file of this batch is read before
    List<FileEntry> out = new ArrayList<>(files.size());
    List<Integer> toRead = new ArrayList<>();
    List<FileContent> known = rehash ? Collections.nCopies(files.size(), null) : statCache.lookupAll(files);
    // A remembered content counts only while the store still holds it (gc may have removed it),
    // which is certain when the draft holds it at that path.
    List<Integer> unsure = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      FileContent c = known.get(i);
      if (c != null) {
        FileEntry e = FileEntry.file(files.get(i).datasetPath(), c, files.get(i).executable());
        FileEntry held = current == null ? null : current.get(i);
        if (c.size() > 0 && (held == null || !held.sameContent(e))) {
          unsure.add(i);
        }
        out.add(e);
      } else {
        out.add(null);
        toRead.add(i);
      }
    }
    boolean[] stored = reuse(unsure.stream().map(known::get).toList(), inserter);
    for (int k = 0; k < stored.length; k++) {
      if (!stored[k]) {
        out.set(unsure.get(k), null);
        toRead.add(unsure.get(k));
      }
    }
    Collections.sort(toRead);
    long total = 0;
    for (int i : toRead) {
      total += files.get(i).size();
    }
    if (toRead.isEmpty()) {
      return new Result(out, 0, 0);
    }
    ExecutorService pool = Workers.pool("cairn-ingest", Workers.perCore(4));
    // Set when the add ends: a file still being read stops at its next read. Files being stored
    // are not interrupted, as they write to one pack that an interrupt would close under them all.
    AtomicBoolean ended = new AtomicBoolean();
    List<StatCache.Hashed> hashed = new ArrayList<>();
    try {
      progress.start("hashing and storing " + Text.count(toRead.size(), "file"), total);
      // In batches, so that a million files to read never mean a million queued tasks.
      List<FileContent> contents = new ArrayList<>(toRead.size());
      for (int from = 0; from < toRead.size(); from += BATCH) {
        List<Future<FileContent>> futures = new ArrayList<>();
        for (int i : toRead.subList(from, Math.min(toRead.size(), from + BATCH))) {
          SourceFile f = files.get(i);
          FileEntry before = current != null ? current.get(i) : draft != null ? draft.lookup(f.datasetPath()) : null;
          futures.add(pool.submit(() -> store(f, inserter, before, ended)));
        }
        contents.addAll(Workers.getAllUninterrupted(futures, "adding files"));
      }
      for (int k = 0; k < toRead.size(); k++) {
        int i = toRead.get(k);
        FileContent c = contents.get(k);
        SourceFile f = files.get(i);
        out.set(i, FileEntry.file(f.datasetPath(), c, f.executable()));
        hashed.add(new StatCache.Hashed(f, c));
      }
    } finally {
      ended.set(true);
      pool.shutdown();
      awaitWorkers(pool);
      progress.finish();
    }
    statCache.remember(hashed, readFrom);
    return new Result(out, toRead.size(), total);
  }

  /**
   * Waits for the file workers to end, each at its next read, so that none writes through the
   * inserter once the caller has it back; an interrupt of this thread (the add cancelled) is kept
   * for after, not passed on to them (they write to one pack, whose file an interrupt would close
   * under them all). Only a read hung longer than {@value #AWAIT_WORKERS_SECONDS} s (a network file
   * system gone) is interrupted then.
   */
  private static void awaitWorkers(ExecutorService pool) {
    boolean interrupted = Thread.interrupted();
    boolean hung = false;
    while (true) {
      try {
        if (pool.awaitTermination(AWAIT_WORKERS_SECONDS, TimeUnit.SECONDS)) {
          break;
        }
        if (hung) {
          break; // not even an interrupt ends it: left to the JVM's end
        }
        hung = true;
        pool.shutdownNow();
      } catch (InterruptedException again) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private FileContent store(SourceFile f, ObjectInserter inserter, FileEntry before, AtomicBoolean ended) throws IOException {
    FileObject previous = chunksOf(before, inserter);
    FileContent c;
    try (InputStream in = new CountingStream(open(f), f, ended)) {
      c = inserter.insertFile(in, f.size(), previous);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("Cannot add " + f.file() + ": permission denied");
    }
    SourceFile after;
    try {
      after = FolderScanner.describe(f.file(), f.datasetPath());
    } catch (NoSuchFileException deleted) {
      throw deletedMeanwhile(f);
    }
    if (f.size() == 0 && c.size() > 0 && after != null && after.size() == 0) {
      // /proc files say they are empty and hold text made as they are read.
      throw new InvalidInputException("Cannot add " + f.file() + ": its size says empty but it holds data (a /proc or /sys"
          + " file?); copy it to a regular file first");
    }
    if (c.size() != f.size() && after != null && after.size() == f.size() && after.mtimeNanos() == f.mtimeNanos()
        && after.ctimeNanos() == f.ctimeNanos() && after.inode() == f.inode() && isKernelMade(f.file())) {
      // /sys files say they hold a page (4096 bytes) and hold what the kernel writes as they are read.
      throw new InvalidInputException("Cannot add " + f.file() + ": its size says " + f.size() + " bytes but it holds " + c.size()
          + " (a file the kernel makes as it is read, on " + fileSystemType(f.file()) + "); copy it to a regular file first");
    }
    // The status-change time too: a writer that restores the modification time (rsync -t
    // --inplace, touch -r) cannot restore it, and the bytes read may be half old, half new.
    if (after == null || c.size() != f.size() || after.size() != f.size() || after.mtimeNanos() != f.mtimeNanos()
        || after.ctimeNanos() != f.ctimeNanos() || after.inode() != f.inode()) {
      throw new InvalidInputException("Cannot add " + f.file() + ": the file changed while it was being added; try again (what was"
          + " stored of it is reused then, or freed by cairn gc)");
    }
    return c;
  }

  /** Whether {@code file} lies on a file system whose files the kernel makes as they are read. */
  private static boolean isKernelMade(java.nio.file.Path file) {
    String type = fileSystemType(file);
    return type.equals("sysfs") || type.equals("proc") || type.equals("debugfs") || type.equals("securityfs")
        || type.equals("cgroup") || type.equals("cgroup2") || type.equals("configfs") || type.equals("tracefs");
  }

  private static String fileSystemType(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.getFileStore(file).type();
    } catch (IOException | SecurityException unknown) {
      return "";
    }
  }

  /**
   * Whether each remembered content is stored, every chunk of it included. What is found counts
   * as reused ({@link ObjectInserter#reuseEach}): a gc running meanwhile keeps its packs (or this
   * command fails cleanly at flush), as when a file is read and its chunks found stored.
   */
  private static boolean[] reuse(List<FileContent> contents, ObjectInserter inserter) throws IOException {
    boolean[] out = new boolean[contents.size()];
    if (contents.isEmpty()) {
      return out;
    }
    try (ObjectReader reader = inserter.newReader()) {
      for (int k = 0; k < out.length; k++) {
        FileContent c = contents.get(k);
        boolean ok = inserter.reuseEach(List.of(c.content()))[0];
        if (ok && c.chunked()) {
          FileObject f = fileObject(reader, c.content());
          ok = f != null && allStored(inserter.reuseEach(f.chunks().stream().map(ChunkRef::id).toList()));
        }
        out[k] = ok;
      }
    }
    return out;
  }

  /**
   * The chunks of what the draft held at the file's path, if that was a file of several chunks:
   * the chunks an edit left in place are then checked by hash instead of being cut again. Only a
   * hint, so a file object that cannot be read counts as none (fsck reports it).
   */
  private static FileObject chunksOf(FileEntry before, ObjectInserter inserter) throws IOException {
    if (before == null || before.kind() != EntryKind.FILE || !before.chunked()) {
      return null;
    }
    try (ObjectReader reader = inserter.newReader()) {
      return fileObject(reader, before.content());
    }
  }

  private static boolean allStored(boolean[] stored) {
    for (boolean b : stored) {
      if (!b) {
        return false;
      }
    }
    return true;
  }

  /** File object {@code id}, or null if it cannot be read (missing, or damaged: fsck reports it). */
  private static FileObject fileObject(ObjectReader reader, ObjectId id) throws IOException {
    try {
      return FileObjectFormat.decode(reader.open(id).bytes(), id);
    } catch (MissingObjectException | CorruptObjectException | UnsupportedFormatVersionException e) {
      return null;
    }
  }

  /** Opens a file to add; one deleted since the scan is said to be. */
  private static InputStream open(SourceFile f) throws IOException {
    try {
      return Files.newInputStream(f.file());
    } catch (NoSuchFileException e) {
      throw deletedMeanwhile(f);
    }
  }

  private static InvalidInputException deletedMeanwhile(SourceFile f) {
    return new InvalidInputException("Cannot add " + f.file() + ": it was deleted while the files were being added; try again");
  }

  /**
   * Reports bytes read to the progress listener, and names the file in a read error (an I/O error
   * of a failing disk says only "Input/output error"), which is then told from a write error of the
   * repository.
   */
  private final class CountingStream extends FilterInputStream {
    private final SourceFile file;
    private final AtomicBoolean ended;

    CountingStream(InputStream in, SourceFile file, AtomicBoolean ended) {
      super(in);
      this.file = file;
      this.ended = ended;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended.get()) {
        throw new InterruptedIOException("Cannot add " + file.file() + ": the add ended (another file of it failed)");
      }
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        throw new IOException("Cannot add " + file.file() + ": reading it failed (" + IoErrors.reason(e) + ")", e);
      }
      if (n > 0) {
        progress.advance(n);
      }
      return n;
    }
  }
}
