package dev.cairn.dataset;

import dev.cairn.manifest.DatasetPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to add to a draft ({@code Dataset.addFiles}).
 *
 * @param sources files and folders on disk; a folder adds its contents relative to itself
 * @param wildcards keep only files whose relative path or name matches one of these
 * @param datasetFolder where in the dataset to put them ("" = the root)
 * @param recursive whether folders are descended into
 * @param rehash read every file even if its size, times and inode are unchanged since last time
 * @param skipRefused pass over a file or folder whose name cannot be a dataset path (invalid UTF-8,
 *     a control character, a twin by Unicode normalization, ...), with a warning each, instead of
 *     refusing the whole add
 */
public record AddOptions(List<Path> sources, List<String> wildcards, String datasetFolder, boolean recursive, boolean rehash,
    boolean skipRefused) {
  public AddOptions {
    Objects.requireNonNull(sources, "sources must not be null: give the files or folders to add");
    for (Path p : sources) {
      Objects.requireNonNull(p, "a source must not be null: give the files or folders to add");
    }
    sources = List.copyOf(sources);
    wildcards = List.copyOf(wildcards == null ? List.of() : wildcards);
    datasetFolder = normalizeFolder(datasetFolder);
  }

  /** As the canonical constructor, refusing the add over a refused name. */
  public AddOptions(List<Path> sources, List<String> wildcards, String datasetFolder, boolean recursive, boolean rehash) {
    this(sources, wildcards, datasetFolder, recursive, rehash, false);
  }

  /** Adds {@code source} recursively at the dataset root. */
  public static AddOptions of(Path... source) {
    Objects.requireNonNull(source, "source must not be null: give the files or folders to add");
    for (Path p : source) {
      Objects.requireNonNull(p, "a source must not be null: give the files or folders to add");
    }
    return new AddOptions(List.of(source), List.of(), "", true, false);
  }

  public AddOptions wildcard(String... globs) {
    Objects.requireNonNull(globs, "globs must not be null: give none to add every file");
    for (String g : globs) {
      Objects.requireNonNull(g, "a wildcard must not be null: give patterns such as \"*.jpg\"");
    }
    return new AddOptions(sources, List.of(globs), datasetFolder, recursive, rehash, skipRefused);
  }

  public AddOptions datasetFolder(String folder) {
    return new AddOptions(sources, wildcards, folder, recursive, rehash, skipRefused);
  }

  public AddOptions recursive(boolean r) {
    return new AddOptions(sources, wildcards, datasetFolder, r, rehash, skipRefused);
  }

  public AddOptions rehash(boolean r) {
    return new AddOptions(sources, wildcards, datasetFolder, recursive, r, skipRefused);
  }

  public AddOptions skipRefused(boolean skip) {
    return new AddOptions(sources, wildcards, datasetFolder, recursive, rehash, skip);
  }

  /** Drops empty and "." segments, as tar and cp read a path: "/a/./b/" → "a/b", "." → "". */
  static String normalizeFolder(String f) {
    return f == null ? "" : DatasetPaths.withoutEmptyOrDotSegments(f); // spaces are kept: legal in names, as on disk
  }
}
