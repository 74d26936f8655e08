package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.LogEntry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One dataset: the versions that share a project and a name, in version order (lowest first).
 */
record DatasetSummary(String project, String name, List<DatasetRecord> versions) {
  DatasetSummary {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("a dataset has at least one version");
    }
    versions = List.copyOf(versions);
  }

  /** The highest version. */
  DatasetRecord latest() {
    return versions.get(versions.size() - 1);
  }

  /** Every tag any version carries, in first-seen order. */
  Set<String> tags() {
    Set<String> tags = new LinkedHashSet<>();
    versions.forEach(v -> tags.addAll(v.tags()));
    return tags;
  }

  /**
   * When the dataset last changed: a version created, edited, closed, tagged, renamed... (the
   * newest entry of its versions' logs, each of which records such a change).
   */
  long updatedMillis() {
    return versions.stream().mapToLong(DatasetSummary::changedMillis).max().orElse(0);
  }

  private static long changedMillis(DatasetRecord r) {
    long t = r.createdMillis();
    for (LogEntry e : r.log()) {
      t = Math.max(t, e.timeMillis());
    }
    return t;
  }
}
