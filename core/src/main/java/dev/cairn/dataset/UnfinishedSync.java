package dev.cairn.dataset;

import dev.cairn.errors.DatasetNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds what an earlier run of a {@code sync --project --name} left, for the same command run
 * again (spec/datasets.md, "Adding files"): the draft an interrupted run left, to take and finish,
 * or the version a run closed, which the folder may still equal.
 */
final class UnfinishedSync {
  private UnfinishedSync() {}

  /**
   * The newest draft of {@code o}'s dataset and parents that {@code command} with these arguments
   * created and changed alone (its log says so) and whose owner has ended, now owned by this
   * process; null if there is none. Each is taken under its lock, without waiting: a draft whose
   * lock a live process holds is being filled or taken by it, and of two runs that find the same
   * draft one takes it and the other makes a version of its own.
   */
  static Dataset take(DatasetRepository repo, CreateOptions o, String command, List<String> argv) throws IOException {
    List<String> parents = resolved(repo, o);
    List<DatasetRecord> left = new ArrayList<>();
    for (DatasetRecord r : repo.list(o.project(), "^" + Pattern.quote(o.name()) + "$", List.of())) {
      if (isLeft(r, o, parents, command, argv)) {
        left.add(r);
      }
    }
    left.sort(Comparator.comparingLong(DatasetRecord::createdMillis).reversed());
    for (DatasetRecord r : left) {
      try (VersionLocks.Lock lock = repo.catalog().tryLock(r.id())) {
        if (lock == null) {
          continue;
        }
        DatasetRecord now;
        try {
          now = repo.catalog().read(r.id());
        } catch (DatasetNotFoundException deleted) {
          continue;
        }
        if (isLeft(now, o, parents, command, argv)) {
          repo.catalog().write(now.toBuilder().owner(DraftOwners.claim()).build());
          return repo.get(r.id());
        }
      }
    }
    return null;
  }

  /**
   * The newest closed version of {@code o}'s dataset that {@code command} with these arguments
   * made and changed alone (its log says so; uploads and repairs aside) and whose parents are {@code o}'s, or which is
   * {@code o}'s one parent; null if there is none. What a run of the same command closed: the
   * command is being run again.
   */
  static DatasetRecord newestClosed(DatasetRepository repo, CreateOptions o, String command, List<String> argv) throws IOException {
    List<String> parents = resolved(repo, o);
    DatasetRecord newest = null;
    for (DatasetRecord r : repo.list(o.project(), "^" + Pattern.quote(o.name()) + "$", List.of())) {
      if (!r.isDraft() && r.project().equals(o.project()) && r.name().equals(o.name())
          && (r.parents().equals(parents) || parents.equals(List.of(r.id())))
          && r.log().stream().anyMatch(RecordHistory::isChange)
          && r.log().stream().filter(RecordHistory::isChange).allMatch(e -> e.command().equals(command) && e.arguments().equals(argv))
          && (newest == null || r.createdMillis() > newest.createdMillis())) {
        newest = r;
      }
    }
    return newest;
  }

  /**
   * The newest closed version of {@code o}'s dataset, without parents, that a squash of
   * {@code sources} made and that nothing but its close changed since (uploads and repairs aside);
   * null if there is none.
   */
  static DatasetRecord closedSquash(DatasetRepository repo, CreateOptions o, List<String> sources) throws IOException {
    DatasetRecord newest = null;
    for (DatasetRecord r : repo.list(o.project(), "^" + Pattern.quote(o.name()) + "$", List.of())) {
      List<LogEntry> changes = r.log().stream().filter(RecordHistory::isChange).toList();
      if (!r.isDraft() && r.project().equals(o.project()) && r.name().equals(o.name()) && r.parents().isEmpty() && !changes.isEmpty()
          && changes.get(0).command().equals("squash") && changes.get(0).arguments().equals(sources)
          && changes.stream().skip(1).allMatch(e -> e.command().equals("close"))
          && (newest == null || r.createdMillis() > newest.createdMillis())) {
        newest = r;
      }
    }
    return newest;
  }

  private static List<String> resolved(DatasetRepository repo, CreateOptions o) throws IOException {
    List<String> parents = new ArrayList<>();
    for (String p : o.parents()) {
      parents.add(repo.catalog().resolve(p));
    }
    return parents;
  }

  private static boolean onlyBy(DatasetRecord r, String command, List<String> argv) {
    return r.log().stream().allMatch(e -> e.command().equals(command) && e.arguments().equals(argv));
  }

  private static boolean isLeft(DatasetRecord r, CreateOptions o, List<String> parents, String command, List<String> argv) {
    return r.isDraft() && r.owner() != null && DraftOwners.ended(r.owner()) && r.project().equals(o.project())
        && r.name().equals(o.name()) && r.parents().equals(parents)
        && onlyBy(r, command, argv);
  }
}
