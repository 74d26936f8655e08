package dev.cairn.dataset;

import java.util.List;
import java.util.Objects;

/**
 * External files to add ({@link Dataset#add}): URIs or paths of files or folders that stay where
 * they are, and which files of a folder to take, as {@link AddOptions} says for files.
 *
 * @param uris files or folders ({@code s3a://...}, {@code hdfs://...}, local paths)
 * @param wildcards keep only files whose relative path or name matches one of these (none: all)
 * @param recursive whether a folder's subfolders are read too
 */
public record LinkOptions(List<String> uris, List<String> wildcards, boolean recursive) {
  public LinkOptions {
    uris = List.copyOf(Objects.requireNonNull(uris, "uris must not be null: give an empty list"));
    wildcards = List.copyOf(Objects.requireNonNull(wildcards, "wildcards must not be null: give an empty list"));
  }

  /** Every file of {@code uris}, recursively. */
  public static LinkOptions of(List<String> uris) {
    return new LinkOptions(uris, List.of(), true);
  }

  /** No external file. */
  public static final LinkOptions NONE = of(List.of());
}
