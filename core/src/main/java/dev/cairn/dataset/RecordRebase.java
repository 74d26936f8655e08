package dev.cairn.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A change to a closed version's record made here, made again on top of a remote's newer record:
 * when a teammate's change reached the remote between this repository's catch-up and its upload,
 * what this one changed since the two agreed (tags added or removed, metadata keys set or removed,
 * the description, a publish) is applied to theirs, so that both stand, as two edits on a clearml
 * server do, and a rename or move made here on a record whose name stayed there. A change of
 * anything else since (a version string, a rename on both sides) is not made again.
 */
final class RecordRebase {
  private RecordRebase() {}

  /**
   * {@code ours} made again on top of {@code theirs}, or null when it cannot be: ours does not
   * extend {@code agreed} by changes of those fields alone, theirs does not extend {@code agreed},
   * or the two name other content.
   */
  static DatasetRecord onto(DatasetRecord agreed, DatasetRecord ours, DatasetRecord theirs) {
    if (RecordHistory.of(agreed.log(), ours.log()) != RecordHistory.THEIRS_AHEAD
        || RecordHistory.of(agreed.log(), theirs.log()) == RecordHistory.DIVERGED
        || RecordHistory.of(agreed.log(), theirs.log()) == RecordHistory.OURS_AHEAD
        || !sameOtherwise(agreed, ours) || !Objects.equals(ours.root(), theirs.root())
        || !Objects.equals(ours.versionObject(), theirs.versionObject())) {
      return null;
    }
    Set<String> tags = new LinkedHashSet<>(theirs.tags());
    tags.removeAll(minus(agreed.tags(), ours.tags()));
    tags.addAll(minus(ours.tags(), agreed.tags()));
    Map<String, String> metadata = new LinkedHashMap<>(theirs.metadata());
    agreed.metadata().keySet().stream().filter(k -> !ours.metadata().containsKey(k)).forEach(metadata::remove);
    ours.metadata().forEach((k, v) -> {
      if (!v.equals(agreed.metadata().get(k))) {
        metadata.put(k, v);
      }
    });
    DatasetRecord.Builder b = theirs.toBuilder().tags(List.copyOf(tags)).metadata(metadata).storage(ours.storage());
    if (!sameDataset(ours, agreed)) {
      // Renamed or moved here: made again on a record whose name stayed there (a rename on both
      // sides is not merged).
      if (!sameDataset(theirs, agreed)) {
        return null;
      }
      b.project(ours.project()).name(ours.name());
    }
    if (!ours.description().equals(agreed.description())) {
      b.description(ours.description());
    }
    if (ours.state() == DatasetState.PUBLISHED && theirs.state() != DatasetState.PUBLISHED) {
      b.state(DatasetState.PUBLISHED).publishedMillis(ours.publishedMillis());
    }
    // Ours after theirs, whatever their times: made again now, on top of theirs, which the remote's
    // record must find whole at the start of this one's (RecordHistory). The uploads logged here
    // alone (copies on other remotes), older or newer than the agreement, stay too.
    List<LogEntry> log = new ArrayList<>(theirs.log());
    ours.log().stream().filter(e -> !theirs.log().contains(e) && (!agreed.log().contains(e) || e.command().equals("upload")))
        .forEach(log::add);
    return b.log(log).build();
  }

  /**
   * What {@code ours} and {@code theirs} both changed since {@code agreed}, each to another value,
   * where {@link #onto} keeps ours: metadata keys (set or removed) and the description. Tags do not
   * clash: each side adds and removes its own.
   */
  static List<String> replaced(DatasetRecord agreed, DatasetRecord ours, DatasetRecord theirs) {
    List<String> out = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>(agreed.metadata().keySet());
    keys.addAll(ours.metadata().keySet());
    keys.addAll(theirs.metadata().keySet());
    for (String k : keys) {
      String was = agreed.metadata().get(k);
      String mine = ours.metadata().get(k);
      String other = theirs.metadata().get(k);
      if (!Objects.equals(was, mine) && !Objects.equals(was, other) && !Objects.equals(mine, other)) {
        out.add("metadata " + k);
      }
    }
    if (!agreed.description().equals(ours.description()) && !agreed.description().equals(theirs.description())
        && !ours.description().equals(theirs.description())) {
      out.add("the description");
    }
    return out;
  }

  /** Whether {@code ours} differs from {@code agreed} only in what {@link #onto} makes again (and its log). */
  private static boolean sameOtherwise(DatasetRecord agreed, DatasetRecord ours) {
    DatasetRecord.Builder b = ours.toBuilder().tags(agreed.tags()).metadata(agreed.metadata()).description(agreed.description())
        .log(agreed.log()).storage(agreed.storage()).project(agreed.project()).name(agreed.name());
    if (ours.state() == DatasetState.PUBLISHED && agreed.state() == DatasetState.FINAL) {
      b.state(DatasetState.FINAL).publishedMillis(agreed.publishedMillis());
    }
    return b.build().equals(agreed);
  }

  private static boolean sameDataset(DatasetRecord a, DatasetRecord b) {
    return a.project().equals(b.project()) && a.name().equals(b.name());
  }

  private static List<String> minus(List<String> a, List<String> b) {
    return a.stream().filter(x -> !b.contains(x)).toList();
  }
}
