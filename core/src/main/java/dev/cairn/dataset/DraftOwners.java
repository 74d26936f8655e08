package dev.cairn.dataset;

import dev.cairn.internal.proc.ProcessIdentity;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is filling a draft that a {@code sync --project --name} created: a token naming this process
 * ({@code <pid>@<host> <random>}, as a lock's holder), active until the command that took it ends.
 * A draft whose owner has ended is what an interrupted run left (spec/datasets.md, "Adding files").
 * A process that runs one command after another (the daemon) ends its tokens after each command,
 * so that a draft one of its commands left unfinished counts as left too.
 */
public final class DraftOwners {
  private static final Set<String> ACTIVE = ConcurrentHashMap.newKeySet();

  private DraftOwners() {}

  /** A new owner token for this process, active until {@link #endAll}. */
  static String claim() {
    String token = VersionLocks.processToken();
    ACTIVE.add(token);
    return token;
  }

  /** Whether {@code owner} has ended: its process is gone, or it is this process's and no longer active. */
  public static boolean ended(String owner) {
    return VersionLocks.isStale(owner) || isThisProcess(owner) && !ACTIVE.contains(owner);
  }

  /**
   * Whether {@code owner} is a process of another pid namespace of this boot (another container of
   * this host name, or this one before it restarted): whether it has ended cannot be told from here,
   * so its draft is never taken ({@link #ended} is false).
   */
  public static boolean elsewhere(String owner) {
    return VersionLocks.judge(owner) == ProcessIdentity.Verdict.ELSEWHERE;
  }

  /** Whether {@code owner} names this process (its pid and host, and its identity when it has one: not another container's pid 1). */
  static boolean isThisProcess(String owner) {
    String[] words = owner.split(" ");
    return words[0].equals(VersionLocks.processName()) && (words.length < 3 || ProcessIdentity.isCurrent(words[2]));
  }

  /** Ends every token this process took: called when a command ends in a process that runs more. */
  public static void endAll() {
    ACTIVE.clear();
  }
}
