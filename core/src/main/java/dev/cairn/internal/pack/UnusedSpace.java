package dev.cairn.internal.pack;

import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which of the packs that hold both live and dead objects a collection rewrites. Rewriting one
 * copies its live objects into a new pack to free its dead ones, so a pack that is mostly live
 * costs far more to rewrite than it frees (on a remote, a download and an upload of what it keeps).
 * As restic's {@code prune --max-unused} does, packs are rewritten, the largest share of dead bytes
 * first, only until the dead bytes left in the others are at most a share of all the packs' bytes.
 * A share of 0 rewrites every such pack, so that nothing a deleted version alone held stays stored.
 *
 * <p>Only a pack whose dead objects are all chunks may be left: a dead node or file object left
 * while what it names goes (in a pack deleted or rewritten) would break what uploads trust, that
 * an object there comes with everything it names (spec/remote.md), and an upload of that content
 * again would send nothing under it. A chunk names nothing.
 */
public final class UnusedSpace {
  /** The share of all packs' bytes that may stay unused in packs left as they are, by default. */
  public static final double DEFAULT_MAX_UNUSED = 0.05;

  private UnusedSpace() {}

  /** Returns {@code share} if it is a share a collection can be given, from 0 to 1. */
  public static double requireShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("the unused share must be from 0 to 1: " + share);
    }
    return share;
  }

  /**
   * A pack holding live and dead objects: its size, how many of its bytes the dead ones take, and
   * whether they are all chunks (else it is rewritten whatever the share).
   */
  public record Pack(String name, long bytes, long deadBytes, boolean onlyChunksDead) {
    double deadShare() {
      return bytes == 0 ? 0 : (double) deadBytes / bytes;
    }
  }

  /**
   * A pack of {@code bytes} holding {@code entries}, its dead bytes estimated as the share of its
   * objects' raw length that those not {@code live} take (blocks are compressed as wholes).
   */
  public static Pack of(String name, long bytes, List<PackEntry> entries, Predicate<ObjectId> live) {
    long raw = 0;
    long dead = 0;
    boolean onlyChunks = true;
    for (PackEntry e : entries) {
      raw += e.length();
      if (!live.test(e.id())) {
        dead += e.length();
        onlyChunks &= e.type() == ObjectType.CHUNK;
      }
    }
    return new Pack(name, bytes, raw == 0 ? 0 : Math.round((double) bytes * dead / raw), onlyChunks);
  }

  /**
   * The names of those of {@code mixed} to rewrite, so that the dead bytes left in the others are
   * at most {@code maxUnused} of {@code totalBytes} (every pack's bytes, after the collection).
   *
   * @param maxUnused from 0 (rewrite all) to 1
   */
  public static Set<String> toRewrite(List<Pack> mixed, long totalBytes, double maxUnused) {
    requireShare(maxUnused);
    Set<String> out = new HashSet<>();
    long left = 0;
    for (Pack p : mixed) {
      if (p.onlyChunksDead()) {
        left += p.deadBytes();
      } else {
        out.add(p.name());
      }
    }
    double allowed = maxUnused * totalBytes;
    for (Pack p : mixed.stream().filter(Pack::onlyChunksDead)
        .sorted(Comparator.comparingDouble(Pack::deadShare).reversed().thenComparing(Pack::name)).toList()) {
      if (maxUnused > 0 && left <= allowed) {
        break; // 0: every one, however few its dead bytes
      }
      out.add(p.name());
      left -= p.deadBytes();
    }
    return out;
  }

  /** The dead bytes left in those of {@code mixed} not {@code rewritten}. */
  public static long left(List<Pack> mixed, Set<String> rewritten) {
    return mixed.stream().filter(p -> !rewritten.contains(p.name())).mapToLong(Pack::deadBytes).sum();
  }
}
