package dev.cairn.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to make a draft equal to ({@code Dataset.syncFolder}, {@code Dataset.syncNewVersion}).
 *
 * @param folder the folder that is the source of truth, or a wildcard pattern in one
 *     ({@code data/*.jpg}): the dataset folder then holds the files that match
 * @param datasetFolder the folder of the dataset made equal to it ("" = the root)
 * @param skipRefused pass over a file or folder whose name cannot be a dataset path (invalid UTF-8,
 *     a control character, a twin by Unicode normalization, ...), with a warning each, instead of
 *     refusing the whole sync; the version cannot hold such a name, so nothing is removed for it
 * @param excludes leave out each file or folder of the folder whose path relative to it, or whose
 *     name, matches one of these patterns ({@link Glob#filter}): neither added nor removed, as
 *     rsync's {@code --exclude} with {@code --delete}; what the version holds there is kept
 */
public record SyncOptions(Path folder, String datasetFolder, boolean skipRefused, List<String> excludes) {
  public SyncOptions {
    Objects.requireNonNull(folder, "folder must not be null");
    datasetFolder = AddOptions.normalizeFolder(datasetFolder);
    excludes = AddOptions.patterns(excludes);
  }

  /** As the canonical constructor, excluding nothing. */
  public SyncOptions(Path folder, String datasetFolder, boolean skipRefused) {
    this(folder, datasetFolder, skipRefused, List.of());
  }

  /** Syncs {@code folder} into the dataset's root. */
  public static SyncOptions of(Path folder) {
    return new SyncOptions(folder, "", false);
  }

  /** Syncs the folder into this folder of the dataset ("" for its root); the rest of the dataset is left alone. */
  public SyncOptions datasetFolder(String f) {
    return new SyncOptions(folder, f, skipRefused, excludes);
  }

  /** Passes over files whose names a dataset cannot hold (with a warning) instead of refusing the sync. */
  public SyncOptions skipRefused(boolean skip) {
    return new SyncOptions(folder, datasetFolder, skip, excludes);
  }

  /** Leaves out the files and folders that match {@code patterns} (see {@link #excludes}). */
  public SyncOptions exclude(String... patterns) {
    Objects.requireNonNull(patterns, "patterns must not be null: give none to exclude nothing");
    return new SyncOptions(folder, datasetFolder, skipRefused, java.util.Arrays.asList(patterns));
  }

  /** The arguments a sync writes to the version's log: the folder, the dataset folder, the options set. */
  List<String> logArguments() {
    List<String> args = new ArrayList<>(List.of(folder.toString(), datasetFolder));
    if (skipRefused) {
      args.add("--skip-refused");
    }
    for (String e : excludes) {
      args.add("--exclude");
      args.add(e);
    }
    return args;
  }
}
