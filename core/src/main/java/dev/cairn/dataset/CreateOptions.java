package dev.cairn.dataset;

import dev.cairn.errors.DatasetNotFoundException;
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
 * @param project the project ("" for none)
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
 *     {@link Dataset#upload(String, Map, Progress)} is called.
 * @param failOnConflict refuse to create the version if parents disagree about a path
 * @param projectFromParents take the last parent's project, as clearml infers it from the parent
 *     datasets: what {@code of(null, name)} asks for (a version without parents then has none)
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
    boolean failOnConflict,
    boolean projectFromParents) {

  /** As the canonical constructor, with the project as given (null: none). */
  public CreateOptions(String project, String name, String version, List<String> parents, List<String> tags, String description,
      Map<String, String> metadata, String storage, boolean failOnConflict) {
    this(project, name, version, parents, tags, description, metadata, storage, failOnConflict, false);
  }

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

  /** These options, the project being the last parent's when they ask for it ({@link #projectFromParents}). */
  CreateOptions withParentsProject(DatasetRepository repo) throws IOException {
    if (!projectFromParents || parents.isEmpty()) {
      return this;
    }
    String last = repo.catalog().resolve(parents.get(parents.size() - 1));
    return new CreateOptions(repo.catalog().read(last).project(), name, version, parents, tags, description, metadata, storage,
        failOnConflict, false);
  }

  /** These options for a version of {@code project}/{@code name} (the dataset's new name, after a rename). */
  CreateOptions withDataset(String project, String name) {
    return new CreateOptions(project, name, version, parents, tags, description, metadata, storage, failOnConflict, false);
  }

  /**
   * These options, or when they name no parents, with the dataset's highest closed version here as
   * the one parent (a sync's new version follows on, as {@code clearml-data sync}'s does); as they
   * are for a dataset with no closed version here, or a project to be taken from the parents.
   */
  CreateOptions withLatestClosedAsParent(DatasetRepository repo) throws IOException {
    if (!parents.isEmpty() || projectFromParents) {
      return this;
    }
    String latest;
    try {
      latest = repo.get(project, name, null, true).id();
    } catch (DatasetNotFoundException none) {
      return this;
    }
    return new CreateOptions(project, name, version, List.of(latest), tags, description, metadata, storage, failOnConflict, false);
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

  /**
   * Options for a version of {@code project}/{@code name} with defaults elsewhere; a null project
   * is the last parent's, as clearml infers it ("" is none).
   */
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

    /** The version string (semantic, as 1.2.0, or any other); null (the default) takes the next after the highest. */
    public Builder version(String v) { version = v; return this; }
    /** Parent version ids or unique prefixes, in order: a later parent wins a path both sides changed. */
    public Builder parents(List<String> v) { parents = v; return this; }
    /** As {@link #parents(List)}. */
    public Builder parents(String... v) { parents = v == null ? List.of() : Arrays.asList(v); return this; }
    /** Tags of the new version (clearml's {@code dataset_tags}). */
    public Builder tags(List<String> v) { tags = v; return this; }
    /** As {@link #tags(List)}. */
    public Builder tags(String... v) { tags = v == null ? List.of() : Arrays.asList(v); return this; }
    /** Free text shown with the version. */
    public Builder description(String v) { description = v; return this; }
    /** User keys and values kept in the record; a null value leaves its key out. */
    public Builder metadata(Map<String, String> v) { metadata = v; return this; }
    /** The version's remote (a URI or a folder): its version string is reserved there now, and the version goes there when uploaded. */
    public Builder storage(String v) { storage = v; return this; }
    /** Refuse the version when its parents disagree about a path, instead of letting the later one win. */
    public Builder failOnConflict(boolean v) { failOnConflict = v; return this; }

    /** The options; a null project (as {@code of(null, name)} gives) is the last parent's, or none without parents. */
    public CreateOptions build() {
      return new CreateOptions(project, name, version, parents, tags, description, metadata, storage, failOnConflict, project == null);
    }
  }
}
