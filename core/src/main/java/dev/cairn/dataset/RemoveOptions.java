package dev.cairn.dataset;

import java.util.List;
import java.util.Objects;

/**
 * What to remove from a draft ({@code Dataset.removeFiles}).
 *
 * @param patterns paths, folders or patterns inside the dataset, or the links of external files
 * @param recursive whether a folder removes everything under it (else only its direct files), and
 *     a pattern the folders it matches whole
 * @param ignoreUnmatched pass over, with a warning, a pattern that matches no file (git rm's
 *     {@code --ignore-unmatch}) instead of refusing the removal
 */
public record RemoveOptions(List<String> patterns, boolean recursive, boolean ignoreUnmatched) {
  public RemoveOptions {
    Objects.requireNonNull(patterns, "patterns must not be null: give dataset paths or globs");
    for (String p : patterns) {
      Objects.requireNonNull(p, "a pattern must not be null: give dataset paths or globs");
    }
    patterns = List.copyOf(patterns);
  }

  /** Removes {@code patterns}, recursively, refusing one that matches nothing. */
  public static RemoveOptions of(String... patterns) {
    Objects.requireNonNull(patterns, "patterns must not be null: give dataset paths or globs");
    return new RemoveOptions(List.of(patterns), true, false);
  }

  /** Whether a folder pattern removes what is in its subfolders too (the default), or only the files directly in it. */
  public RemoveOptions recursive(boolean r) {
    return new RemoveOptions(patterns, r, ignoreUnmatched);
  }

  /** Passes over a pattern that matches no file (with a warning) instead of refusing the removal, as {@code clearml-data remove} does. */
  public RemoveOptions ignoreUnmatched(boolean ignore) {
    return new RemoveOptions(patterns, recursive, ignore);
  }
}
