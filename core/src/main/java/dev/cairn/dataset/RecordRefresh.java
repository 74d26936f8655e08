package dev.cairn.dataset;

import dev.cairn.dataset.DatasetRepository.Refresh;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link DatasetRepository#refreshRecords}: one listing of a remote's records, compared with the
 * closed versions here, taking the remote's newer ones.
 */
final class RecordRefresh {
  private final DatasetRepository repo;

  RecordRefresh(DatasetRepository repo) {
    this.repo = repo;
  }

  Refresh run(String storage) throws IOException {
    List<String> updated = new ArrayList<>();
    List<String> deletedThere = new ArrayList<>();
    List<Refresh.Note> kept = new ArrayList<>();
    List<Refresh.Note> clashes = new ArrayList<>();
    List<Refresh.Note> merged = new ArrayList<>();
    int compared = 0;
    List<DatasetRecord> theirsClosed;
    List<DatasetRecord> here;
    try (Remote remote = repo.openRemote(storage)) {
      remote.checkMarker(); // a mistyped location is said to be one, not taken for a remote with no version
      String uri = remote.storage().uri().toString();
      VersionListing listing = remote.readRecords();
      Map<String, DatasetRecord> theirs = new HashMap<>();
      for (DatasetRecord r : listing.records()) {
        theirs.put(r.id(), r);
      }
      theirsClosed = listing.records();
      Set<String> unreadable = new HashSet<>(listing.unreadable());
      here = repo.catalog().all();
      // Which version holds each project, name and version string here, kept up to date as records
      // are taken: one listing of the catalog, not one for each record renamed.
      Map<String, String> byLabel = new HashMap<>();
      for (DatasetRecord r : here) {
        byLabel.put(labelKey(r), r.id());
      }
      for (DatasetRecord ours : here) {
        if (ours.isDraft()) {
          continue;
        }
        DatasetRecord there = theirs.get(ours.id());
        if (unreadable.contains(ours.id())) {
          kept.add(new Refresh.Note(ours.id(), "unreadable", null, "the record of " + ours.id() + " there could not be read; the one"
              + " here is kept (cairn fsck --storage " + uri + " checks it)"));
          continue;
        }
        if (there == null) {
          // Asked only of the versions that live there: most versions here never went to it.
          if (uri.equals(ours.storage()) && remote.wasDeleted(ours.id())) {
            deletedThere.add(ours.id());
          }
          continue;
        }
        compared++;
        RecordHistory history = RecordHistory.of(ours.log(), there.log());
        RecordMerge merge = history == RecordHistory.DIVERGED ? repo.rebaseOnAgreed(ours.id(), uri, there) : null;
        if (merge != null) {
          updated.add(ours.id()); // the change made here, made again on top of theirs: to be uploaded
          merged.add(new Refresh.Note(ours.id(), "merged", null, merge.note() + " (the next upload of it sends it there)"));
        } else if (history == RecordHistory.DIVERGED) {
          kept.add(new Refresh.Note(ours.id(), "diverged", null, "the record of " + ours.id() + " was changed here ("
              + RecordHistory.since(there.log(), ours.log()) + ") and there (" + RecordHistory.since(ours.log(), there.log())
              + ") since the two last agreed; the one here is kept"));
        } else if (RecordHistory.takesTheirs(ours, history)) {
          try {
            repo.fastForward(ours, there.toBuilder().storage(uri).build());
          } catch (CorruptObjectException rewritten) {
            kept.add(new Refresh.Note(ours.id(), "damaged", null, rewritten.getMessage()));
            continue;
          }
          DatasetRecord now = repo.catalog().read(ours.id());
          if (!now.log().equals(ours.log())) {
            updated.add(ours.id());
            if (!labelKey(now).equals(labelKey(ours))) {
              byLabel.remove(labelKey(ours), ours.id());
              String other = byLabel.putIfAbsent(labelKey(now), now.id());
              if (other != null && !other.equals(now.id())) {
                clashes.add(new Refresh.Note(now.id(), "clash", other, now.id() + " is now " + DatasetRepository.label(now.project(), now.name()) + " "
                    + now.version() + ", as " + other
                    + " here is: give one of them another version string (cairn set-version)"));
              }
            }
          }
        }
      }
    }
    // Read again when records were taken: a rename taken puts the versions here under the names
    // the remote's newer versions carry.
    List<DatasetRecord> now = updated.isEmpty() ? here : repo.catalog().all();
    return new Refresh(compared, updated, merged, deletedThere, kept, clashes, notHere(theirsClosed, now, repo.catalog()));
  }

  /**
   * The closed versions among {@code there} that are not here but belong to a dataset that has a
   * version here (a teammate's newer ones), in the listing's order; not those deleted here.
   */
  private static List<String> notHere(List<DatasetRecord> there, List<DatasetRecord> here, Catalog catalog) {
    Set<String> ids = new HashSet<>();
    Set<String> datasets = new HashSet<>();
    for (DatasetRecord r : here) {
      ids.add(r.id());
      datasets.add(r.project() + "\0" + r.name());
    }
    List<String> out = new ArrayList<>();
    for (DatasetRecord r : there) {
      if (!r.isDraft() && !ids.contains(r.id()) && datasets.contains(r.project() + "\0" + r.name()) && !catalog.wasDeleted(r.id())) {
        out.add(r.id());
      }
    }
    return out;
  }

  private static String labelKey(DatasetRecord r) {
    return r.project() + "\0" + r.name() + "\0" + r.version();
  }
}
