package dev.cairn.gc;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Checks one pack file in full, as {@link Fsck} checks every local pack (checksums, name, every
 * block, every object's hash): for a pack copied from elsewhere, such as a remote's.
 */
public final class PackCheck {
  private PackCheck() {}

  /**
   * What a check found.
   *
   * @param intact the entries whose objects read back intact
   * @param damaged whether anything in the pack is damaged (then only {@code intact} can be kept)
   * @param damagedObjects the objects whose bytes are damaged (a pack that does not open names none)
   */
  public record Result(List<Problem> problems, List<PackEntry> intact, boolean damaged, Set<ObjectId> damagedObjects) {}

  /**
   * Checks {@code file}, a pack named {@code name} (its id).
   *
   * @param where what problems name as the pack's place (a remote's address, say)
   */
  public static Result run(Path file, String name, HashAlgorithm algorithm, String where) throws IOException {
    PackScan scan = new PackScan();
    scan.check(file, name, algorithm, where);
    List<PackEntry> damagedPackIntact = scan.damagedPacks.get(name);
    if (damagedPackIntact != null) {
      return new Result(List.copyOf(scan.problems), List.copyOf(damagedPackIntact), true, Set.copyOf(scan.damaged));
    }
    return new Result(List.copyOf(scan.problems), scan.intact.values().stream().map(PackScan.Place::entry).toList(), false,
        Set.copyOf(scan.damaged));
  }
}
