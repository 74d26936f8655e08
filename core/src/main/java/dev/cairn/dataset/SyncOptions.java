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
 */
public record SyncOptions(Path folder, String datasetFolder, boolean skipRefused) {
  public SyncOptions {
    Objects.requireNonNull(folder, "folder must not be null");
    datasetFolder = AddOptions.normalizeFolder(datasetFolder);
  }

  /** Syncs {@code folder} into the dataset's root. */
  public static SyncOptions of(Path folder) {
    return new SyncOptions(folder, "", false);
  }

  public SyncOptions datasetFolder(String f) {
    return new SyncOptions(folder, f, skipRefused);
  }

  public SyncOptions skipRefused(boolean skip) {
    return new SyncOptions(folder, datasetFolder, skip);
  }

  /** The arguments a sync writes to the version's log: the folder, the dataset folder, the options set. */
  List<String> logArguments() {
    List<String> args = new ArrayList<>(List.of(folder.toString(), datasetFolder));
    if (skipRefused) {
      args.add("--skip-refused");
    }
    return args;
  }
}
