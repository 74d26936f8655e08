package dev.cairn.dataset;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a version ({@code Dataset.create}).
 *
 * @param project the project; null or empty: the last parent's, as clearml infers it from the
 *     parent datasets (none for a version without parents)
 * @param version the version string, or null for the next one after the highest of this
 *     project and name ({@code 1.0.0} for the first)
 * @param parents version ids (or unique prefixes), in order: later parents win conflicts (a path both sides changed)
 * @param tags tag names (no null)
 * @param metadata user keys and values; a key with a null value is left out, as
 *     {@link Dataset#setMetadata} removes it (a new version starts with no keys)
 * @param description free text shown with the version (null: none)
 * @param storage the version's remote (a URI, or a folder), or null: its version string is
 *     reserved there first, so that repositories sharing the remote never give two versions the
 *     same string, and it is recorded as the version's storage. Nothing is uploaded until
 *     {@link Dataset#upload(String, Map, dev.cairn.dataset.Progress)} is called.
 * @param failOnConflict refuse to create the version if parents disagree about a path
 */
public record CreateOptions(
    String project,
    String name,
    String version,
    List<String> parents,
    List<String> tags,
    String description,
    Map<String, String> metadata,
    String storage,
    boolean failOnConflict) {

  public CreateOptions {
    Objects.requireNonNull(name, "name must not be null: a version needs its dataset's name");
    project = project == null ? "" : project;
    if (parents != null && parents.stream().anyMatch(Objects::isNull)) {
      throw new NullPointerException("parents must not contain null: give the ids of the parent versions");
    }
    parents = List.copyOf(parents == null ? List.of() : parents);
    if (tags != null && tags.stream().anyMatch(Objects::isNull)) {
      throw new NullPointerException("tags must not contain null: give tag names");
    }
    tags = List.copyOf(new LinkedHashSet<>(tags == null ? List.<String>of() : tags)); // each once, in order
    description = description == null ? "" : description;
    metadata = withoutNullValues(metadata);
  }

  /** These options, the project being the last parent's when none is given (and parents are). */
  CreateOptions withParentsProject(DatasetRepository repo) throws IOException {
    if (!project.isEmpty() || parents.isEmpty()) {
      return this;
    }
    String last = repo.catalog().resolve(parents.get(parents.size() - 1));
    String theirs = repo.catalog().read(last).project();
    return theirs.isEmpty() ? this
        : new CreateOptions(theirs, name, version, parents, tags, description, metadata, storage, failOnConflict);
  }

  private static Map<String, String> withoutNullValues(Map<String, String> metadata) {
    if (metadata == null) {
      return Map.of();
    }
    Map<String, String> m = new LinkedHashMap<>();
    metadata.forEach((k, v) -> {
      if (k == null) {
        throw new NullPointerException("metadata keys must not be null: give key names");
      }
      if (v != null) {
        m.put(k, v);
      }
    });
    return Map.copyOf(m);
  }

  /** Options for a version of {@code project}/{@code name} with defaults elsewhere. */
  public static Builder of(String project, String name) {
    return new Builder(project, name);
  }

  /** Fluent builder. */
  public static final class Builder {
    private final String project;
    private final String name;
    private String version;
    private List<String> parents = List.of();
    private List<String> tags = List.of();
    private String description = "";
    private Map<String, String> metadata = Map.of();
    private String storage;
    private boolean failOnConflict;

    Builder(String project, String name) {
      this.project = project;
      this.name = name;
    }

    public Builder version(String v) { version = v; return this; }
    public Builder parents(List<String> v) { parents = v; return this; }
    public Builder parents(String... v) { parents = v == null ? List.of() : Arrays.asList(v); return this; }
    public Builder tags(List<String> v) { tags = v; return this; }
    public Builder tags(String... v) { tags = v == null ? List.of() : Arrays.asList(v); return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder metadata(Map<String, String> v) { metadata = v; return this; }
    public Builder storage(String v) { storage = v; return this; }
    public Builder failOnConflict(boolean v) { failOnConflict = v; return this; }

    public CreateOptions build() {
      return new CreateOptions(project, name, version, parents, tags, description, metadata, storage, failOnConflict);
    }
  }
}
