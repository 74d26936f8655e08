package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
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

  /** When the newest version was created. */
  long updatedMillis() {
    return versions.stream().mapToLong(DatasetRecord::createdMillis).max().orElse(0);
  }
}
