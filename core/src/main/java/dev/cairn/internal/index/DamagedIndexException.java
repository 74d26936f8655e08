package dev.cairn.internal.index;

import java.io.IOException;

/**
 * The index's files are damaged (truncated, not LMDB's, another LMDB version, a corrupted page):
 * the repository sets it aside and rebuilds it from the packs. Other failures to open it (no
 * memory to map it, no permission, a full disk) leave it as it is.
 */
public final class DamagedIndexException extends IOException {
  public DamagedIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
