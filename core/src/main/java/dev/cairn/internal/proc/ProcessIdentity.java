package dev.cairn.internal.proc;

import dev.cairn.dataset.DatasetRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tells a process apart beyond its pid and host name, so that a lock's holder is judged gone
 * on better evidence: {@code <boot>.<pidns>.<start>}, the kernel's boot id (first 8 hex digits),
 * the inode of the process's pid namespace, and its start time in clock ticks since boot (field 22
 * of {@code /proc/<pid>/stat}: exact, and unmoved by changes of the wall clock). A lock of an
 * earlier boot is gone; in this boot and pid namespace, a pid that runs with another start time was
 * used again by another process; of another pid namespace of this boot (another container, or this
 * one restarted), nothing can be told from here ({@link Verdict#ELSEWHERE}: its pids are not ours).
 * A lock without an identity (an older release's) is judged by its pid alone. On a system without
 * {@code /proc} the fields are {@code -} and the pid alone counts (spec/datasets.md, "Locks").
 */
public final class ProcessIdentity {
  private static final String UNKNOWN = "-";
  private static final String BOOT = bootId();
  private static final String TABLE = BOOT + "." + pidNamespace();
  private static final String CURRENT = TABLE + "." + startTicks("self");

  private ProcessIdentity() {}

  /** This process's identity. */
  public static String current() {
    return CURRENT;
  }

  /** What an identity says of its process, seen from this one. */
  public enum Verdict {
    /** A process of that pid runs (and, where it can be told, is the one that recorded it). */
    RUNS,
    /** No such process runs: it ended, or it ran before this boot, or its pid is another's now. */
    GONE,
    /**
     * A process of another pid namespace of this boot (another container, or this one before it
     * restarted): whether it runs cannot be told from here, its pid being another table's.
     */
    ELSEWHERE
  }

  /** Judges the process {@code pid} that recorded {@code identity} (null or blank: an older release's lock, the pid alone counts). */
  public static Verdict of(long pid, String identity) {
    boolean alive = runs(pid);
    String[] parts = identity == null ? new String[0] : identity.split("\\.");
    if (parts.length != 3) {
      return alive ? Verdict.RUNS : Verdict.GONE;
    }
    if (!parts[0].equals(UNKNOWN) && !BOOT.equals(UNKNOWN) && !parts[0].equals(BOOT)) {
      return Verdict.GONE; // recorded before the machine started again
    }
    boolean sameTable = (parts[0] + "." + parts[1]).equals(TABLE);
    if (!sameTable && !parts[1].equals(UNKNOWN) && !TABLE.endsWith("." + UNKNOWN)) {
      return Verdict.ELSEWHERE; // another pid namespace: its pids are not ours to look up
    }
    if (!alive) {
      return Verdict.GONE;
    }
    if (!sameTable || parts[2].equals(UNKNOWN)) {
      return Verdict.RUNS;
    }
    String start = startTicks(Long.toString(pid));
    return start.equals(UNKNOWN) || start.equals(parts[2]) ? Verdict.RUNS : Verdict.GONE;
  }

  /**
   * Whether a process of pid {@code pid} runs here. A zombie (killed, and not yet reaped by its
   * parent: forever under a container's init that reaps nothing) has ended, though the JDK counts
   * it alive; but only once every thread of it has: its main thread shows {@code Z} as soon as it
   * dies, while another may still be finishing a write (a rename on a stalled NFS mount) that must
   * not land after the process's lock was taken over.
   */
  public static boolean runs(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !allThreadsEnded(Long.toString(pid));
  }

  /** Whether the process's threads ({@code /proc/<pid>/task/*}) all ended; its main thread's state alone where they cannot be listed. */
  private static boolean allThreadsEnded(String pid) {
    if (!hasEnded(pid)) {
      return false;
    }
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
      return tasks.allMatch(t -> hasEnded(pid + "/task/" + t.getFileName()));
    } catch (IOException | RuntimeException unlisted) {
      return true;
    }
  }

  /** Field 22 of {@code /proc/<pid>/stat}: the process's start, in clock ticks since boot. */
  private static String startTicks(String pid) {
    String[] fields = statFields(pid);
    return fields.length > 19 ? fields[19] : UNKNOWN;
  }

  /**
   * Whether field 3 of {@code /proc/<pid>/stat}, the state, says the process (or the thread
   * {@code <pid>/task/<tid>}) ended: a zombie ({@code Z}) or dead ({@code X}); a thread gone since
   * it was listed has ended too.
   */
  private static boolean hasEnded(String pid) {
    if (!Files.exists(Path.of("/proc", pid, "stat"))) {
      return pid.contains("/task/"); // a thread gone; a process not found is judged by the JDK's answer
    }
    String[] fields = statFields(pid);
    return fields.length > 0 && (fields[0].equals("Z") || fields[0].equals("X"));
  }

  /** The fields of {@code /proc/<pid>/stat} from the third (the state) on; none where it cannot be read. */
  private static String[] statFields(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
      // "pid (comm) state ppid ...": the command name may hold spaces and parentheses; fields
      // after its closing parenthesis start at field 3.
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return new String[0];
    }
  }

  private static String bootId() {
    try {
      String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip().replace("-", "");
      return id.length() >= 8 ? DatasetRecord.shortId(id) : UNKNOWN;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  private static String pidNamespace() {
    try {
      // "pid:[4026531836]"
      String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
      int open = link.indexOf('[');
      return open >= 0 && link.endsWith("]") ? link.substring(open + 1, link.length() - 1) : UNKNOWN;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * This process's pid table, {@code <boot>.<pidns>}: the processes whose pids it can look up. Null
   * where {@code /proc} does not tell it, so that nothing is judged on the pid alone.
   */
  public static String pidTable() {
    return TABLE.contains(UNKNOWN) ? null : TABLE;
  }

  /** Whether {@code identity} is this process's own (an identity of an older release's lock is not). */
  public static boolean isCurrent(String identity) {
    return CURRENT.equals(identity);
  }
}
