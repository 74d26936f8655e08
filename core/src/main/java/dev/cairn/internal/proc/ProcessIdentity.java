package dev.cairn.internal.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What tells a process apart beyond its pid and host name, so that a lock's holder is judged gone
 * only on evidence: {@code <boot>.<pidns>.<start>}, the kernel's boot id (first 8 hex digits), the
 * inode of the process's pid namespace, and its start time in milliseconds. Two containers that
 * share a host name differ in their pid namespace (or boot id), and a pid used again by another
 * process differs in its start time. On a system without {@code /proc}, the fields it lacks are
 * {@code -} and only the pid and host name count (spec/datasets.md, "Locks").
 */
public final class ProcessIdentity {
  private static final String UNKNOWN = "-";
  private static final String TABLE = bootId() + "." + pidNamespace();
  private static final String CURRENT = TABLE + "." + startMillis(ProcessHandle.current());

  private ProcessIdentity() {}

  /** This process's identity. */
  public static String current() {
    return CURRENT;
  }

  /** What an identity says of its process, seen from this one. */
  public enum Verdict {
    /** Its process runs, here. */
    RUNS,
    /** Its process table is this one's, and the process in it is gone (or the pid is another's now). */
    GONE,
    /** Another machine, container or boot: nothing can be told from here. */
    ELSEWHERE
  }

  /** Judges the process {@code pid} that recorded {@code identity} (null or blank: an older release's lock, the pid alone counts). */
  public static Verdict of(long pid, String identity) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (identity == null || identity.isBlank()) {
      return h.isPresent() ? Verdict.RUNS : Verdict.GONE;
    }
    int last = identity.lastIndexOf('.');
    if (last < 0 || !identity.substring(0, last).equals(TABLE)) {
      return Verdict.ELSEWHERE;
    }
    if (h.isEmpty()) {
      return Verdict.GONE;
    }
    String start = identity.substring(last + 1);
    return start.equals(UNKNOWN) || start.equals(startMillis(h.get())) ? Verdict.RUNS : Verdict.GONE;
  }

  private static String startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli).map(String::valueOf).orElse(UNKNOWN);
  }

  private static String bootId() {
    try {
      String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip().replace("-", "");
      return id.length() >= 8 ? id.substring(0, 8) : UNKNOWN;
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
}
