package dev.cairn.dataset;

import java.util.List;

/**
 * A closed version's record changed here and on a remote since the two last agreed, merged: the
 * change made here ({@code ours}, the record here before) made again on top of the remote's
 * ({@code theirs}), giving {@code merged}.
 *
 * @param replaced what both sides changed, each its own way, where the value made here won: {@code
 *     metadata split} (a key), {@code the description}; empty when the two changes touched
 *     different things
 */
public record RecordMerge(String id, String storage, DatasetRecord ours, DatasetRecord theirs, DatasetRecord merged,
    List<String> replaced) {
  public RecordMerge {
    replaced = List.copyOf(replaced);
  }

  /** The sentence that says so: each side's changes named, and what of the remote's the change here replaced. */
  public String note() {
    return "the record of " + DatasetRecord.shortId(id) + " was changed here (" + RecordHistory.since(theirs.log(), ours.log())
        + ") and on " + storage + " (" + RecordHistory.since(ours.log(), theirs.log()) + ") since the two last agreed: the change made"
        + " here is made again on top of the remote's" + (replaced.isEmpty() ? ""
            : ", and where both changed the same thing the value set here wins (" + String.join(", ", replaced) + ")");
  }
}
