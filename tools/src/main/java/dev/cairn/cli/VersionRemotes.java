package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordHistory;
import dev.cairn.dataset.RecordMerge;
import dev.cairn.errors.ConflictException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What the command line knows, and says on stderr, of the remotes a version is on: where a new
 * child goes by default (its parents' remote), and the notes that a change made here has not
 * reached them (a record changed, a dataset renamed, a version kept here).
 */
final class VersionRemotes {
  private final DatasetRepository repo;
  private final Consumer<String> warn;
  private final Consumer<String> note;

  /** @param warn says a warning, {@code note} a note (stderr, and the command's JSON) */
  VersionRemotes(DatasetRepository repo, Consumer<String> warn, Consumer<String> note) {
    this.repo = repo;
    this.warn = warn;
    this.note = note;
  }

  /**
   * After a change to a closed version's record here (publish, tags, metadata, description): sends
   * the record to each remote the version was uploaded to, as clearml's server sees such a change
   * at once (the local repository is the remote's cache), saying so on stderr. A remote that does
   * not take it (unreachable, or the record changed there too) keeps the old one, which a warning
   * says, with the upload that sends it later: the change here stands. A teammate's change that
   * reached a remote since {@link #takeNewerRecords} is taken, and this one made again on top. The
   * remotes of its {@code notSent} are not sent it, their warning said instead: one that
   * deleted the version (a tag must not bring back what a teammate deleted), and one whose record
   * could not be read (a folder moved away or not mounted would be made a new remote).
   */
  void sendRecordChange(Dataset ds, Before before) throws IOException {
    DatasetRecord r = ds.record();
    if (r.isDraft()) {
      return;
    }
    String id = r.shortId();
    for (String remote : r.uploadedTo()) {
      if (before.notSent().containsKey(remote)) {
        warn.accept(before.notSent().get(remote));
        continue;
      }
      DatasetRecord agreed = before.agreed();
      for (int attempt = 1; ; attempt++) {
        try {
          repo.get(r.id()).upload(remote, null, Progress.NONE).merged().forEach(note);
          note.accept("sent the change to " + remote);
          break;
        } catch (ConflictException diverged) {
          // A teammate's change reached the remote since the catch-up before this one: made again
          // on top of theirs, a few times at most, as a compare-and-swap lost is tried again.
          RecordMerge onto;
          try {
            onto = agreed == null || attempt > REBASES ? null : repo.rebaseRecordChange(r.id(), remote, agreed);
          } catch (IOException | RuntimeException unreadable) {
            // Not the records' fault (the remote gone meanwhile, a lock held too long): the upload is what to run again.
            warn.accept(keptThere(remote, r.storage(), id, ErrorHandler.oneLine(unreadable, false)));
            break;
          }
          if (onto == null) {
            warn.accept(remote + " keeps " + id + "'s record as it was: " + ErrorHandler.oneLine(diverged, false));
            break;
          }
          note.accept("took " + remote + "'s newer record of " + id + " (" + RecordHistory.since(agreed.log(), onto.theirs().log())
              + " there meanwhile); this change is made on top of it" + (onto.replaced().isEmpty() ? ""
                  : ", the value set here winning where both changed the same thing (" + String.join(", ", onto.replaced()) + ")"));
          agreed = onto.theirs();
        } catch (IOException e) {
          warn.accept(keptThere(remote, r.storage(), id, ErrorHandler.oneLine(e, false)));
          break;
        }
      }
    }
  }

  /** How many times a record change is made again on a remote's newer record before it is left there. */
  private static final int REBASES = 3;

  /**
   * What {@link #takeNewerRecords} leaves for {@link #sendRecordChange}: the remotes not to send
   * the change to, each with its warning, and the version's record as it agreed with its remotes
   * before the change (null for a draft).
   */
  record Before(Map<String, String> notSent, DatasetRecord agreed) {}

  /**
   * The warning that {@code remote} keeps version {@code id}'s record as it was, with the upload that
   * sends the change: a plain one to the version's own remote ({@code own}), which refuses to make
   * a new remote there should the location be found empty (a share not mounted); --storage names a copy.
   */
  private static String keptThere(String remote, String own, String id, String why) {
    boolean ownRemote = own != null && Base.uri(own).equals(Base.uri(remote));
    return remote + " keeps " + id + "'s record as it was (" + why + "); cairn upload --id " + id
        + (ownRemote ? "" : " --storage " + remote) + " sends the change";
  }

  /**
   * Before a change to a closed version's record: takes the newer record of each remote it was
   * uploaded to (a teammate's tag, description or publish there), as git fetches before a push,
   * so that the change adds to theirs instead of diverging from it and being refused there. The
   * change is made here whatever the remotes say.
   *
   * @return the remotes {@link #sendRecordChange} must not send the change to, each with the
   *     warning it says instead (those that deleted the version since, and those whose record of it
   *     could not be read: unreachable, or no remote there now), and the record the change starts from
   */
  Before takeNewerRecords(Dataset ds) throws IOException {
    DatasetRecord r = ds.record();
    Map<String, String> notSent = new HashMap<>();
    if (r.isDraft()) {
      return new Before(notSent, null);
    }
    String id = r.shortId();
    for (String remote : r.uploadedTo()) {
      try {
        DatasetRecord before = repo.get(r.id()).record();
        List<String> merged = new ArrayList<>();
        repo.catchUp(r.id(), remote, merged::add);
        merged.forEach(note); // the change made while apart, made again on top of theirs: said so, not as a catch-up
        DatasetRecord after = repo.get(r.id()).record();
        String since = RecordHistory.since(before.log(), after.log());
        if (merged.isEmpty() && !since.isEmpty()) {
          // A teammate's change there: this one is made on top of it (a description or a value set
          // anew replaces theirs, as on a clearml server), which is said, not silently done.
          note.accept("took " + remote + "'s newer record of " + id + " first (" + since + " there since); this change is made on top"
              + " of it");
        }
      } catch (DatasetNotFoundException deleted) {
        notSent.put(remote, remote + " deleted " + id + " since it was uploaded: the change stays here (cairn upload --id " + id
            + " --storage " + remote + " would bring the version back there)");
      } catch (ConflictException diverged) {
        // Changed on both sides in what cannot be merged: sending would be refused the same way, so it is said once.
        notSent.put(remote, remote + " keeps " + id + "'s record as it was: " + ErrorHandler.oneLine(diverged, false));
      } catch (IOException | RuntimeException unreadable) { // a remote gone, or one that is no folder now
        notSent.put(remote, keptThere(remote, r.storage(), id,
            "its record there could not be read: " + ErrorHandler.oneLine(unreadable, false)));
      }
    }
    return new Before(notSent, repo.get(r.id()).record());
  }

  /**
   * The remote a new child goes to when none is given (no {@code --storage}, {@code $CAIRN_STORAGE}
   * or {@code remote.default}): the one its parents are on (uploaded there, or fetched from it), as
   * a user of clearml-data expects every version of a dataset to reach the same storage; null when
   * no parent is on a remote, or parents are on different ones. {@link #parentsRemoteTaken} says it.
   */
  String parentsRemote(List<String> parentIds) throws IOException {
    List<DatasetRecord> onRemotes = onRemotes(parentIds);
    long remotes = onRemotes.stream().map(r -> Storages.canonical(r.storage())).distinct().count();
    return remotes == 1 ? onRemotes.get(0).storage() : null;
  }

  /** The records of those of {@code ids} here that are on a remote, their own (uploaded there, or fetched from it). */
  private List<DatasetRecord> onRemotes(List<String> ids) throws IOException {
    List<DatasetRecord> out = new ArrayList<>();
    for (String id : ids) {
      try {
        DatasetRecord r = repo.get(id).record();
        if (r.storage() != null && r.wasUploaded()) {
          out.add(r);
        }
      } catch (DatasetNotFoundException gone) {
        // deleted since: on no remote of ours
      }
    }
    return out;
  }

  /**
   * Says that new version {@code ds} goes to {@code remote} because its parents are there
   * ({@link #parentsRemote}), and how to keep it here: {@code keepHere}, the option of the command
   * that would close it.
   */
  void parentsRemoteTaken(Dataset ds, String remote, String keepHere) throws IOException {
    int parents = ds.record().parents().size();
    note.accept(ds.shortId() + " goes to " + remote + ", " + (parents == 0 ? "its dataset's" : parents == 1
        ? "its parent's" : "its parents'") + " remote, when closed (--storage names another; " + keepHere + " keeps it here)");
  }

  /**
   * Says that the parents' remote, taken by default, could not be used ({@code why}: unreachable,
   * read-only): the new version is made here alone, as without a remote.
   */
  void parentsRemoteUnusable(String remote, IOException why) {
    parentsRemoteUnusable(remote, why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().lines().findFirst().orElse(""));
  }

  /** As {@link #parentsRemoteUnusable(String, IOException)}, for the reason {@code why}. */
  void parentsRemoteUnusable(String remote, String why) {
    note.accept("the parents' remote cannot be used now, so the new version stays here (cairn upload --storage " + remote
        + " sends it later): " + why);
  }

  /**
   * After {@code ds} was closed without a remote to upload to (none given, none by default): when
   * a parent of it is on a remote (parents on different remotes, or a draft the Java API made), a
   * note on stderr says that this version stays here, since a user of clearml-data expects every
   * closed version to reach storage.
   */
  void staysLocal(Dataset ds) throws IOException {
    List<DatasetRecord> onRemotes = onRemotes(ds.record().parents());
    if (!onRemotes.isEmpty()) {
      DatasetRecord r = onRemotes.get(0);
      String id = ds.shortId();
      note.accept(id + " stays here: no remote was given (--storage, $CAIRN_STORAGE or remote.default), though"
          + " its parent " + r.shortId() + " is on " + r.storage() + "; cairn upload --id " + id + " --storage " + r.storage()
          + " sends it there");
    }
  }

  /**
   * After a rename or move of {@code ds}'s dataset here: each remote its versions were uploaded to
   * keeps their records under the old name until they are uploaded there again, which a note on
   * stderr says, one a remote.
   */
  void datasetChangedHere(Dataset ds) throws IOException {
    Map<String, DatasetRecord> versions = new LinkedHashMap<>();
    for (DatasetRecord r : repo.list(ds.project(), "^" + Pattern.quote(ds.name()) + "$", List.of())) {
      if (r.project().equals(ds.project()) && r.name().equals(ds.name()) && !r.isDraft()) {
        versions.put(r.id(), r);
      }
    }
    // An upload sends the version's missing ancestors too, with their records, and logs itself in
    // the version's record alone: a remote holds each ancestor of a version uploaded there, of
    // this dataset or of another (a merge of it uploaded elsewhere).
    Map<String, DatasetRecord> all = new HashMap<>();
    for (DatasetRecord r : repo.catalog().all()) {
      all.put(r.id(), r);
    }
    Map<String, Set<String>> remotesOf = new HashMap<>();
    // Each remote's walk goes over each version once, however many uploads' lineages share it.
    Map<String, Set<String>> walked = new HashMap<>();
    for (DatasetRecord r : all.values()) {
      for (String remote : r.isDraft() ? List.<String>of() : r.uploadedTo()) {
        Set<String> seen = walked.computeIfAbsent(remote, k -> new HashSet<>());
        Deque<String> lineage = new ArrayDeque<>(List.of(r.id()));
        while (!lineage.isEmpty()) {
          String id = lineage.pop();
          if (seen.add(id) && all.containsKey(id)) {
            if (versions.containsKey(id)) {
              remotesOf.computeIfAbsent(id, k -> new TreeSet<>()).add(remote);
            }
            lineage.addAll(all.get(id).parents());
          }
        }
      }
    }
    Map<String, List<String>> byRemote = new TreeMap<>();
    for (String id : versions.keySet()) {
      remotesOf.getOrDefault(id, Set.of())
          .forEach(remote -> byRemote.computeIfAbsent(remote, k -> new ArrayList<>()).add(DatasetRecord.shortId(id)));
    }
    byRemote.forEach((remote, ids) -> note.accept(remote + (ids.size() == 1
        ? " keeps " + ids.get(0) + "'s record as it was until cairn upload --id " + ids.get(0) + " --storage " + remote
            + " (or the upload of a version descending from it)"
        : " keeps the records of " + ids.size() + " versions (" + String.join(", ", ids) + ") as they were until each, or a version"
            + " descending from it, is uploaded again: cairn upload --id ID --storage " + remote)));
  }
}
