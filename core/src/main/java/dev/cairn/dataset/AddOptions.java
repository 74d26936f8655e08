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
 * @param excludes leave out each file or folder whose path relative to its source folder, or whose
 *     name, matches one of these patterns; a folder so matched is not walked ({@link Glob#filter},
 *     as restic's and rsync's {@code --exclude})
 */
public record AddOptions(List<Path> sources, List<String> wildcards, String datasetFolder, boolean recursive, boolean rehash,
    boolean skipRefused, List<String> excludes) {
  public AddOptions {
    Objects.requireNonNull(sources, "sources must not be null: give the files or folders to add");
    for (Path p : sources) {
      Objects.requireNonNull(p, "a source must not be null: give the files or folders to add");
    }
    sources = List.copyOf(sources);
    wildcards = List.copyOf(wildcards == null ? List.of() : wildcards);
    datasetFolder = normalizeFolder(datasetFolder);
    excludes = patterns(excludes);
  }

  /** As the canonical constructor, excluding nothing. */
  public AddOptions(List<Path> sources, List<String> wildcards, String datasetFolder, boolean recursive, boolean rehash,
      boolean skipRefused) {
    this(sources, wildcards, datasetFolder, recursive, rehash, skipRefused, List.of());
  }

  /** As the canonical constructor, refusing the add over a refused name and excluding nothing. */
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

  /** Adds only the files whose path or name matches one of {@code globs} ({@link Glob}: {@code *.jpg}, {@code images/**}). */
  public AddOptions wildcard(String... globs) {
    Objects.requireNonNull(globs, "globs must not be null: give none to add every file");
    for (String g : globs) {
      Objects.requireNonNull(g, "a wildcard must not be null: give patterns such as \"*.jpg\"");
    }
    return new AddOptions(sources, List.of(globs), datasetFolder, recursive, rehash, skipRefused, excludes);
  }

  /** Puts what is added under this folder of the dataset ("" for its root). */
  public AddOptions datasetFolder(String folder) {
    return new AddOptions(sources, wildcards, folder, recursive, rehash, skipRefused, excludes);
  }

  /** Whether folders are added with their subfolders (the default) or only the files directly in them. */
  public AddOptions recursive(boolean r) {
    return new AddOptions(sources, wildcards, datasetFolder, r, rehash, skipRefused, excludes);
  }

  /** Reads and hashes every file again, instead of trusting the stat cache for files whose size and times did not change. */
  public AddOptions rehash(boolean r) {
    return new AddOptions(sources, wildcards, datasetFolder, recursive, r, skipRefused, excludes);
  }

  /** Passes over files whose names a dataset cannot hold (with a warning) instead of refusing the whole add. */
  public AddOptions skipRefused(boolean skip) {
    return new AddOptions(sources, wildcards, datasetFolder, recursive, rehash, skip, excludes);
  }

  /** Leaves out the files and folders that match {@code patterns} (see {@link #excludes}). */
  public AddOptions exclude(String... patterns) {
    Objects.requireNonNull(patterns, "patterns must not be null: give none to exclude nothing");
    return new AddOptions(sources, wildcards, datasetFolder, recursive, rehash, skipRefused, java.util.Arrays.asList(patterns));
  }

  /** The patterns, checked for nulls and copied. */
  static List<String> patterns(List<String> patterns) {
    if (patterns == null) {
      return List.of();
    }
    for (String p : patterns) {
      Objects.requireNonNull(p, "an exclude pattern must not be null: give patterns such as \"*.tmp\" or \".git\"");
    }
    return List.copyOf(patterns);
  }

  /** Drops empty and "." segments, as tar and cp read a path: "/a/./b/" → "a/b", "." → "". */
  static String normalizeFolder(String f) {
    return f == null ? "" : DatasetPaths.withoutEmptyOrDotSegments(f); // spaces are kept: legal in names, as on disk
  }
}
