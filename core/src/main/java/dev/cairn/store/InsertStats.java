package dev.cairn.store;

/**
 * What an inserter did: objects written and skipped because already stored, raw and stored bytes.
 */
public record InsertStats(long objectsWritten, long objectsSkipped, long rawBytesWritten, long storedBytesWritten, long rawBytesSkipped) {
  public static final InsertStats EMPTY = new InsertStats(0, 0, 0, 0, 0);

  public InsertStats plus(InsertStats o) {
    return new InsertStats(
        objectsWritten + o.objectsWritten,
        objectsSkipped + o.objectsSkipped,
        rawBytesWritten + o.rawBytesWritten,
        storedBytesWritten + o.storedBytesWritten,
        rawBytesSkipped + o.rawBytesSkipped);
  }
}
