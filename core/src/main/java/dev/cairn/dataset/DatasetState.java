package dev.cairn.dataset;

import java.util.Locale;

/** Life cycle of a dataset version: only drafts change. */
public enum DatasetState {
  /** Created and editable: files can be added, removed and synced. */
  DRAFT,
  /** Closed (finalized): content fixed forever. */
  FINAL,
  /** Final and marked as released. */
  PUBLISHED;

  /** The lower-case name used in JSON and on screen. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label. */
  public static DatasetState fromLabel(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
