package dev.cairn.transport;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings a version from a remote into the local repository (spec/remote.md, "Fetch"): its record
 * and its ancestors' records, its version object and manifest nodes, then only the file objects and
 * chunks of the selected files, by byte ranges of the remote packs. Fetched blocks are stored
 * locally as they are, so the same bytes are never downloaded twice; objects already local are not
 * fetched at all.
 */
public final class Fetcher {
  /** Ranges of one pack closer than this are read in one request. */
  private static final long COALESCE_GAP = 256 << 10;
  /** Largest single ranged read. */
  private static final long MAX_READ = 32 << 20;

  private final DatasetRepository repo;
  private final Remote remote;
  private final Progress progress;
  private long bytesFetched;

  public Fetcher(DatasetRepository repo, Remote remote, Progress progress) {
    this.repo = repo;
    this.remote = remote;
    this.progress = progress;
  }

  /** Bytes read from the remote so far. */
  public long bytesFetched() {
    return bytesFetched;
  }

  /** The full id of the remote version {@code idOrPrefix} names. */
  public String resolve(String idOrPrefix) throws IOException {
    String p = idOrPrefix.trim().toLowerCase(Locale.ROOT);
    List<String> matches = new ArrayList<>();
    for (String id : remote.versionIds()) {
      if (id.startsWith(p)) {
        matches.add(id);
      }
    }
    if (p.length() < 8 || matches.isEmpty()) {
      throw new DatasetNotFoundException("Cannot find dataset version " + idOrPrefix + " on " + remote.storage().uri());
    }
    if (matches.size() > 1) {
      throw new AmbiguousIdException(p, matches);
    }
    return matches.get(0);
  }

  /**
   * Fetches version {@code id} and the selected files' data, and records the version locally.
   *
   * @return the local record
   */
  public DatasetRecord fetch(String id, Selection selection) throws IOException {
    remote.checkMarker();
    DatasetRecord r = fetchRecords(id);
    RemoteIndex index = remote.index();
    PackObjectDatabase db = repo.repository().packs();
    Set<ObjectId> wanted = new LinkedHashSet<>();
    if (!db.has(r.versionObject())) {
      wanted.add(r.versionObject());
    }
    // Manifest nodes, one level at a time.
    List<ObjectId> frontier = List.of(r.root());
    while (!frontier.isEmpty()) {
      List<ObjectId> missing = frontier.stream().filter(n -> !db.has(n)).toList();
      wanted.addAll(missing);
      fetchObjects(wanted, index);
      wanted.clear();
      List<ObjectId> next = new ArrayList<>();
      try (ObjectReader reader = db.newReader()) {
        NodeLoader loader = new NodeLoader(reader, 16);
        for (ObjectId n : frontier) {
          if (loader.load(n) instanceof TreeNode.Inner in) {
            for (ChildRef c : in.children()) {
              next.add(c.id());
            }
          }
        }
      }
      frontier = next;
    }
    // File objects, then chunks, of the selected files.
    List<FileEntry> chosen = selected(r, selection);
    Set<ObjectId> fileObjects = new LinkedHashSet<>();
    for (FileEntry e : chosen) {
      if (e.kind() == EntryKind.FILE && e.size() > 0 && !db.has(e.content())) {
        (e.chunked() ? fileObjects : wanted).add(e.content());
      }
    }
    fetchObjects(fileObjects, index);
    try (ObjectReader reader = db.newReader()) {
      for (FileEntry e : chosen) {
        if (e.kind() == EntryKind.FILE && e.chunked()) {
          for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
            if (!db.has(c.id())) {
              wanted.add(c.id());
            }
          }
        }
      }
    }
    fetchObjects(wanted, index);
    return r;
  }

  private List<FileEntry> selected(DatasetRecord r, Selection s) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return s.select(new Manifest(new NodeLoader(reader), r.root()));
    }
  }

  /** Copies the version's record and its ancestors' records into the local catalog. */
  private DatasetRecord fetchRecords(String id) throws IOException {
    DatasetRecord r = remote.record(id);
    if (r == null) {
      throw new DatasetNotFoundException("Cannot find dataset version " + id + " on " + remote.storage().uri());
    }
    List<String> queue = new ArrayList<>(r.parents());
    Set<String> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      String p = queue.remove(0);
      if (!seen.add(p) || repo.catalog().exists(p)) {
        continue;
      }
      DatasetRecord pr = remote.record(p);
      if (pr != null) {
        repo.importRecord(pr);
        queue.addAll(pr.parents());
      }
    }
    return r;
  }

  /** Fetches objects by ranged reads of the blocks that hold them and stores the blocks locally. */
  private void fetchObjects(Set<ObjectId> ids, RemoteIndex index) throws IOException {
    if (ids.isEmpty()) {
      return;
    }
    // pack → block offset → block length
    Map<String, TreeMap<Long, Integer>> blocks = new TreeMap<>();
    for (ObjectId id : ids) {
      RemoteIndex.Location loc = index.locate(id);
      if (loc == null) {
        throw new MissingObjectException(id, "object on remote " + remote.storage().uri());
      }
      blocks.computeIfAbsent(loc.pack(), k -> new TreeMap<>()).put(loc.entry().blockOffset(), loc.entry().blockLength());
    }
    long total = 0;
    for (TreeMap<Long, Integer> m : blocks.values()) {
      for (int len : m.values()) {
        total += len;
      }
    }
    progress.start("downloading " + ids.size() + " objects", total);
    PackObjectDatabase db = repo.repository().packs();
    try (PackWriter writer = db.newPackWriter()) {
      for (Map.Entry<String, TreeMap<Long, Integer>> e : blocks.entrySet()) {
        fetchPack(e.getKey(), e.getValue(), index, writer);
      }
      PackInfo info = writer.finish();
      if (info != null) {
        db.publish(info);
      }
    } finally {
      progress.finish();
    }
    for (ObjectId id : ids) {
      if (!db.has(id)) {
        throw new MissingObjectException(id, "object fetched from " + remote.storage().uri());
      }
    }
  }

  private void fetchPack(String pack, TreeMap<Long, Integer> wanted, RemoteIndex index, PackWriter writer) throws IOException {
    String file = RemoteLayout.pack(pack);
    List<Map.Entry<Long, Integer>> list = new ArrayList<>(wanted.entrySet());
    list.sort(Comparator.comparingLong(Map.Entry::getKey));
    int i = 0;
    while (i < list.size()) {
      long start = list.get(i).getKey();
      long end = start + list.get(i).getValue();
      int j = i + 1;
      while (j < list.size() && list.get(j).getKey() - end <= COALESCE_GAP
          && list.get(j).getKey() + list.get(j).getValue() - start <= MAX_READ) {
        end = Math.max(end, list.get(j).getKey() + list.get(j).getValue());
        j++;
      }
      byte[] range = remote.storage().read(file, start, (int) (end - start));
      bytesFetched += range.length;
      for (int k = i; k < j; k++) {
        long off = list.get(k).getKey();
        int len = list.get(k).getValue();
        byte[] block = java.util.Arrays.copyOfRange(range, (int) (off - start), (int) (off - start) + len);
        storeBlock(pack, off, block, index, writer, file);
        progress.advance(len);
      }
      i = j;
    }
  }

  private void storeBlock(String pack, long offset, byte[] block, RemoteIndex index, PackWriter writer, String file) throws IOException {
    byte[] raw;
    try {
      raw = BlockCodec.local().decode(block);
    } catch (BlockCodec.BlockException ex) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.CHECKSUM_MISMATCH,
          remote.storage().uri() + "/" + file + " block " + offset, ex.getMessage());
    }
    List<PackWriter.Member> members = new ArrayList<>();
    for (PackEntry e : index.block(pack, offset)) {
      if (e.offsetInBlock() + (long) e.length() > raw.length) {
        throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.MALFORMED, remote.storage().uri() + "/" + file, "object past its block");
      }
      ObjectId actual = repo.repository().objects().algorithm().hash(raw, e.offsetInBlock(), e.length());
      if (!actual.equals(e.id())) {
        throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.HASH_MISMATCH, remote.storage().uri() + "/" + file, null);
      }
      members.add(new PackWriter.Member(e.id(), e.type(), e.offsetInBlock(), e.length()));
    }
    writer.appendBlock(block, members);
  }
}
