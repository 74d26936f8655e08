package dev.cairn.internal.pack;

import dev.cairn.errors.CorruptObjectException;
import java.nio.file.Path;

/**
 * The index names a pack whose file is not there: deleted by a collection after the lookup (the
 * object then has a new place, and a reader looks again), or lost.
 */
final class MissingPackException extends CorruptObjectException {
  MissingPackException(Path file) {
    super(null, Reason.TRUNCATED, file.toString(), "indexed pack file is missing");
  }
}
