package dev.cairn.dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Dataset#get(DatasetRepository, GetOptions)} looks for and answers: clearml's
 * {@code Dataset.get} keyword arguments in one value. A version is named by its id, or by its
 * dataset's name (and project, version) and tags; the newest that matches is taken.
 *
 * @param id a version id or unique prefix (8+ hex digits), or null to look up by name or tags
 * @param project the project, or null for any (if only one holds the name); "" is no project
 * @param name the dataset's name, or null to look up by tags alone
 * @param version the version string wanted, or null for the highest (needs a name)
 * @param tags as {@link TagQuery} reads them (clearml's {@code dataset_tags}); empty for any
 * @param onlyClosed skip drafts (clearml's {@code only_completed})
 * @param onlyPublished take published versions only (clearml's {@code only_published})
 * @param storage the remote to look on and fetch from (the version's record and manifest; its files
 *     come with {@link Dataset#getLocalCopy}), or null for this repository only
 * @param autoCreate when nothing matches, create a draft of {@code project}/{@code name} (with
 *     {@code version} and the tags asked for) instead of failing (clearml's {@code auto_create});
 *     without a project, in the one project that holds a dataset of that name, else in none
 * @param writableCopy answer a new draft whose parent is the version found, to add files to
 *     (clearml's {@code writable_copy}); its version string is reserved on {@code storage}, if given
 */
public record GetOptions(
    String id,
    String project,
    String name,
    String version,
    List<String> tags,
    boolean onlyClosed,
    boolean onlyPublished,
    String storage,
    boolean autoCreate,
    boolean writableCopy) {

  public GetOptions {
    if (tags != null && tags.stream().anyMatch(Objects::isNull)) {
      throw new NullPointerException("tags must not contain null: give tag names");
    }
    tags = List.copyOf(tags == null ? List.<String>of() : tags);
    if (id != null && (project != null || name != null || version != null || !tags.isEmpty())) {
      throw new IllegalArgumentException("Cannot look a version up by its id and by name or tags at once: give one of them");
    }
    if (id == null && name == null && tags.isEmpty()) {
      throw new IllegalArgumentException("Cannot look a version up without an id, a name or tags: give one of them");
    }
    if (version != null && name == null) {
      throw new IllegalArgumentException("Cannot look up version " + version + " without the dataset's name: give the name too");
    }
    if (autoCreate && name == null) {
      throw new IllegalArgumentException("Cannot create a dataset that is not found without its name: give the name for autoCreate");
    }
  }

  /** The version with this id or unique prefix (8+ hex digits). */
  public static Builder id(String id) {
    return new Builder(Objects.requireNonNull(id, "id must not be null: give a version id or a prefix of 8+ hex digits"), null, null);
  }

  /** The newest version of {@code project}/{@code name} (a null project: any, if only one holds the name). */
  public static Builder of(String project, String name) {
    return new Builder(null, project, Objects.requireNonNull(name, "name must not be null: give the dataset's name"));
  }

  /** The newest version carrying the tags, as {@link TagQuery} reads them. */
  public static Builder tagged(String... tags) {
    return new Builder(null, null, null).tags(tags);
  }

  /** Fluent builder. */
  public static final class Builder {
    private final String id;
    private final String project;
    private final String name;
    private String version;
    private List<String> tags = List.of();
    private boolean onlyClosed;
    private boolean onlyPublished;
    private String storage;
    private boolean autoCreate;
    private boolean writableCopy;

    Builder(String id, String project, String name) {
      this.id = id;
      this.project = project;
      this.name = name;
    }

    /** The version string wanted; null (the default) for the highest. */
    public Builder version(String v) { version = v; return this; }
    /** Tags the version must match, as {@link TagQuery} reads them (clearml's {@code dataset_tags}). */
    public Builder tags(List<String> v) { tags = v; return this; }
    /** As {@link #tags(List)}. */
    public Builder tags(String... v) { tags = v == null ? List.of() : Arrays.asList(v); return this; }
    /** Skip drafts (clearml's {@code only_completed}). */
    public Builder onlyClosed(boolean v) { onlyClosed = v; return this; }
    /** Take published versions only (clearml's {@code only_published}). */
    public Builder onlyPublished(boolean v) { onlyPublished = v; return this; }
    /** The remote to look on and fetch from, or null for this repository alone. */
    public Builder storage(String v) { storage = v; return this; }
    /** When nothing matches, create a draft of the project and name (clearml's {@code auto_create}). */
    public Builder autoCreate(boolean v) { autoCreate = v; return this; }
    /** Answer a new draft whose parent is the version found, to add files to (clearml's {@code writable_copy}). */
    public Builder writableCopy(boolean v) { writableCopy = v; return this; }

    /**
     * The options.
     *
     * @throws IllegalArgumentException for a version without a name, or autoCreate without one
     */
    public GetOptions build() {
      return new GetOptions(id, project, name, version, tags, onlyClosed, onlyPublished, storage, autoCreate, writableCopy);
    }
  }
}
