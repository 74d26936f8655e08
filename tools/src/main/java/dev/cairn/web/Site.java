package dev.cairn.web;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.RemoteAncestors;
import dev.cairn.dataset.TagQuery;
import dev.cairn.dataset.VersionStrings;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The read side of one repository as the pages and the API see it: datasets grouped from the
 * catalog, versions by id. Only reads; thread-safe because the repository is.
 */
final class Site {
  private static final Comparator<DatasetRecord> VERSION_ORDER =
      Comparator.comparing(DatasetRecord::version, VersionStrings.ORDER).thenComparingLong(DatasetRecord::createdMillis);

  private final DatasetRepository repo;
  /** Remote ancestors, remembered while no record changes (each is written by a rename into its folder, which moves the folder's time). */
  private RemoteAncestors ancestors;
  private FileTime ancestorsAsOf;

  Site(DatasetRepository repo) {
    this.repo = repo;
  }

  DatasetRepository repository() {
    return repo;
  }

  /** Where the data of {@code r} not here is ({@link DatasetRepository#contentStorage}), without reading a long lineage at every page. */
  String contentStorage(DatasetRecord r) throws IOException {
    DatasetRecord a = remoteAncestor(r);
    return a == null ? null : a.storage();
  }

  /** The version, or ancestor, whose remote holds the data of {@code r} not here; null if none. */
  DatasetRecord remoteAncestor(DatasetRecord r) throws IOException {
    return remoteAncestors().of(r);
  }

  private synchronized RemoteAncestors remoteAncestors() throws IOException {
    FileTime now = Files.getLastModifiedTime(
        repo.repository().directory().resolve("refs").resolve("datasets"));
    if (ancestors == null || !now.equals(ancestorsAsOf)) {
      ancestors = new RemoteAncestors(repo.catalog());
      ancestorsAsOf = now;
    }
    return ancestors;
  }

  List<String> projects() throws IOException {
    return repo.projects();
  }

  /**
   * Datasets with at least one version matching the filters, most recently updated first.
   *
   * @param project exact project, "" for the unnamed one, or null for all
   * @param name a regular expression found in the name (case-insensitive), or null/empty
   * @param tags comma-separated tags as {@link TagQuery} reads them: a dataset
   *     one of whose versions they ask for is listed whole, or null/empty for all
   */
  List<DatasetSummary> datasets(String project, String name, String tags) throws IOException {
    // Tags pick datasets (one of whose versions carries them, as clearml reads a list of tags); a
    // dataset picked is shown whole, with all its versions.
    TagQuery tagged = TagQuery.parse(tagList(tags));
    Map<List<String>, List<DatasetRecord>> groups = new LinkedHashMap<>();
    for (DatasetRecord r : repo.list(null, blankToNull(name), null)) {
      if (!inProject(r.project(), project)) {
        continue;
      }
      groups.computeIfAbsent(List.of(r.project(), r.name()), k -> new ArrayList<>()).add(r);
    }
    List<DatasetSummary> out = new ArrayList<>();
    groups.forEach((k, v) -> {
      if (tagged.isEmpty() || v.stream().anyMatch(r -> tagged.matches(r.tags()))) {
        v.sort(VERSION_ORDER);
        out.add(new DatasetSummary(k.get(0), k.get(1), v));
      }
    });
    out.sort(Comparator.comparingLong(DatasetSummary::updatedMillis).reversed());
    return out;
  }

  /**
   * A dataset and every version of it.
   *
   * @param project its project ("" for the unnamed one), or null for whichever single project
   *     holds a dataset of that name
   * @throws HttpProblem 404 if there is none, 400 if no project is given and several hold the name
   */
  DatasetSummary dataset(String project, String name) throws IOException {
    if (name == null) {
      throw HttpProblem.badRequest("Cannot show a dataset: give its name (and project)");
    }
    List<DatasetRecord> versions = new ArrayList<>();
    Set<String> projects = new TreeSet<>();
    for (DatasetRecord r : repo.list(null, null, null)) {
      if ((project == null || r.project().equals(project)) && r.name().equals(name)) {
        versions.add(r);
        projects.add(r.project());
      }
    }
    if (versions.isEmpty()) {
      throw HttpProblem.notFound("Cannot find dataset: no dataset named '" + name + "'"
          + (project == null ? "" : project.isEmpty() ? " without a project" : " in project '" + project + "'"));
    }
    if (projects.size() > 1) {
      // No project given (?project= names the unnamed one), and the name is in several.
      throw HttpProblem.badRequest("Cannot tell which dataset '" + name + "' is meant: projects "
          + String.join(", ", projects.stream().map(p -> "'" + p + "'").toList()) + " each hold one; give the project too (?project=P)");
    }
    versions.sort(VERSION_ORDER);
    return new DatasetSummary(projects.iterator().next(), name, versions);
  }

  /**
   * The version with this id or unique id prefix.
   *
   * @throws DatasetNotFoundException if there is none, or the address holds no id at all (shown as a 404 page)
   */
  Dataset version(String idOrPrefix) throws IOException {
    try {
      return repo.get(idOrPrefix);
    } catch (InvalidInputException notAnId) { // an address no version has: not found, as an unknown id
      throw new DatasetNotFoundException(notAnId.getMessage());
    }
  }

  /** A reader of the object store; the caller closes it. */
  ObjectReader newReader() throws IOException {
    return repo.repository().objects().newReader();
  }

  /**
   * The record of another version by full id (a parent, an ancestor), or null when it was deleted
   * or its record cannot be read ({@link #unreadable}): pages of the versions around it still show.
   */
  DatasetRecord recordOrNull(String id) throws IOException {
    if (!repo.catalog().exists(id)) {
      return null;
    }
    try {
      return repo.catalog().read(id);
    } catch (CorruptObjectException e) {
      return null;
    }
  }

  /** Whether version {@code id}'s record is here (readable or not): its pages exist. */
  boolean recordPresent(String id) {
    return repo.catalog().exists(id);
  }

  /** Whether version {@code id}'s record is there but cannot be read (fsck reports it). */
  boolean unreadable(String id) {
    return repo.catalog().exists(id);
  }

  /**
   * Whether a version of {@code project} is in what {@code asked} names: every project for null,
   * the unnamed project for "" (as {@code ?project=} alone), else that project and its subprojects
   * ({@code asked/...}), as {@code cairn search --project} reads it; a trailing slash is dropped.
   */
  static boolean inProject(String project, String asked) {
    return DatasetRepository.inProject(project, asked, true);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** "a, b" → [a, b]; null when empty. */
  static List<String> tagList(String tags) {
    if (tags == null || tags.isBlank()) {
      return null;
    }
    return Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }
}
