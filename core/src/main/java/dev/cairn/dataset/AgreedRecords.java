package dev.cairn.dataset;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a closed version's record was when this repository and each remote it is on last agreed,
 * kept while a change made here (tags, metadata, a description, a publish) has not reached that
 * remote: {@code refs/agreed/<id>/<remote-key>.json}, in the record format. A remote that took
 * a teammate's change meanwhile (made while the two were apart: offline, or the remote not
 * mounted) holds a record whose log has entries this one lacks; from the record agreed on, the
 * change made here is told and made again on top of theirs ({@link RecordRebase}), as git keeps
 * a remote-tracking branch to rebase on. Without one, such records are kept apart, as before.
 *
 * <p>The first change since the two agreed writes the file (create-if-absent: a second change
 * keeps the older agreement); an upload or fetch that leaves the two records agreeing removes it.
 */
public final class AgreedRecords {
  private final Path dir;
  private final Path tmp;

  AgreedRecords(Path refs, Path tmp) {
    this.dir = refs.resolve("agreed");
    this.tmp = tmp;
  }

  /**
   * Before a change to {@code before}'s record here: keeps it as the record agreed on with each
   * remote it was uploaded to that has none kept yet.
   */
  void keepBefore(DatasetRecord before) throws IOException {
    if (before.isDraft()) {
      return;
    }
    byte[] text = null;
    for (String remote : before.uploadedTo()) {
      Path p = file(before.id(), remote);
      if (!Files.exists(p)) {
        Files.createDirectories(p.getParent());
        if (text == null) {
          text = RecordFormat.encode(before).getBytes(StandardCharsets.UTF_8);
        }
        AtomicFiles.createIfAbsent(p, text, tmp);
      }
    }
  }

  /** The record of {@code id} agreed on with {@code remote}, or null when none is kept (or it no longer parses). */
  DatasetRecord read(String id, String remote) throws IOException {
    return parse(file(id, remote));
  }

  private static DatasetRecord parse(Path p) throws IOException {
    try {
      return RecordFormat.decode(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    } catch (NoSuchFileException none) {
      return null;
    } catch (IOException damaged) {
      return null; // a lost agreement leaves the records apart, as without one
    }
  }

  /**
   * Every record of {@code id} kept as agreed on with a remote, {@code remote}'s first: a record
   * agreed on with another remote is the one to start from too when the record this remote holds
   * extends it (a teammate's copy, taken from that other remote, changed and uploaded here).
   */
  List<DatasetRecord> readAll(String id, String remote) throws IOException {
    List<DatasetRecord> out = new ArrayList<>();
    Path ownFile = file(id, remote);
    DatasetRecord own = parse(ownFile);
    if (own != null) {
      out.add(own);
    }
    Path d = dir.resolve(id);
    if (!Files.isDirectory(d)) {
      return out;
    }
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json") && !f.equals(ownFile)).sorted().toList()) {
        DatasetRecord other = parse(p);
        if (other != null) {
          out.add(other);
        }
      }
    }
    return out;
  }

  /** Records that {@code id}'s record here and {@code remote}'s now agree on {@code agreed}. */
  void replace(String id, String remote, DatasetRecord agreed) throws IOException {
    Path p = file(id, remote);
    Files.createDirectories(p.getParent());
    AtomicFiles.write(p, RecordFormat.encode(agreed).getBytes(StandardCharsets.UTF_8), tmp);
  }

  /** Forgets the agreement with {@code remote}: the record here and the remote's are the same changes. */
  public void clear(String id, String remote) throws IOException {
    Path p = file(id, remote);
    if (Files.deleteIfExists(p)) {
      try {
        Files.delete(p.getParent());
      } catch (IOException notEmpty) {
        // another remote's agreement is kept
      }
    }
  }

  /** Forgets every agreement of {@code id}: the version was deleted here. */
  void clearAll(String id) throws IOException {
    Path d = dir.resolve(id);
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Path file(String id, String remote) {
    String uri = Storages.canonical(remote).replaceFirst("/$", "");
    String key = HashAlgorithm.SHA256.hash(uri.getBytes(StandardCharsets.UTF_8)).abbreviate(32);
    return dir.resolve(id).resolve(key + ".json");
  }
}
