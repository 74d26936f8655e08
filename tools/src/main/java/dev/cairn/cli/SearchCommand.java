package dev.cairn.cli;

import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.TagQuery;
import dev.cairn.dataset.VersionListing;
import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.DatasetNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "search", description = "List dataset versions, oldest first. A version whose record cannot be read is left out, with a "
    + "warning on stderr (run cairn fsck).")
final class SearchCommand extends Base {
  @Option(names = "--project", paramLabel = "P", description = "Only this project and its subprojects (P/...), as clearml-data searches;"
      + " '' for the versions of no project.")
  String project;

  @Option(names = "--non-recursive-project-search", description = "Only the project itself, not its subprojects.")
  boolean nonRecursiveProject;

  @Option(names = "--not-only-completed", description = "Drafts too (by default, as in clearml-data, only closed versions are listed).")
  boolean notOnlyCompleted;

  @Option(names = "--only-completed", hidden = true, description = "Only closed versions: the default (accepted for older scripts).")
  boolean onlyCompleted;

  @Option(names = "--name", paramLabel = "N", description = "Only names matching this regular expression, or holding it as typed (case-insensitive).")
  String name;

  @Option(names = "--tags", paramLabel = "T", arity = "1..*", split = ",", converter = Trimmed.class, description = "Only versions carrying any of these tags (space- or comma-separated), as clearml-data reads them: all of them after a"
      + " first __$all, and none of those written -T.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--ids", paramLabel = "ID", arity = "1..*", split = ",", converter = Trimmed.class, description = "Only these versions (ids or prefixes; space- or comma-separated).")
  List<String> ids = new ArrayList<>();

  @Option(names = "--storage", paramLabel = "URI", description = "Search the versions on this remote instead of the local ones (without it,"
      + " a team remote, $CAIRN_STORAGE or remote.default, adds the versions it holds that are not here).")
  String storage;

  @Override
  String existingRemote() {
    return storage != null ? storage : DatasetRepository.environmentStorage(); // a new teammate's first command makes the repository
  }

  /** The filters besides --ids that were given, as typed. */
  private List<String> givenFilters() {
    List<String> given = new ArrayList<>();
    if (project != null) {
      given.add("--project");
    }
    if (name != null) {
      given.add("--name");
    }
    if (!tags.isEmpty()) {
      given.add("--tags");
    }
    return given;
  }

  /** Whether this repository holds a version whose id starts with {@code prefix}. */
  private boolean heldHere(String prefix) throws IOException {
    try {
      repo().catalog().resolve(prefix);
      return true;
    } catch (DatasetNotFoundException none) {
      return false;
    } catch (AmbiguousIdException several) {
      return true;
    }
  }

  /**
   * With a team remote ($CAIRN_STORAGE, remote.default) and no --storage: the versions there that
   * are not here too, as a clearml server lists every teammate's (a record here stands for its
   * version), but for those deleted here. One that cannot be read leaves the versions here, with a warning.
   */
  private void addTeamVersions(List<DatasetRecord> found, String team, Predicate<String> named, TagQuery tagged) throws IOException {
    VersionListing there;
    try {
      there = repo().readRemote(team, null);
    } catch (IOException unreachable) {
      warn("could not list the versions on " + team + " (" + unreachable.getMessage().lines().findFirst()
          .orElse("") + "); those here are listed");
      return;
    }
    Set<String> here = new HashSet<>();
    found.forEach(r -> here.add(r.id()));
    Catalog catalog = repo().catalog();
    for (DatasetRecord r : there.records()) {
      // A version deleted here stays deleted for this user, as get by name passes it over.
      if (!here.contains(r.id()) && !catalog.wasDeleted(r.id()) && named.test(r.name()) && tagged.matches(r.tags())) {
        found.add(r);
      }
    }
    found.sort(Comparator.comparingLong(DatasetRecord::createdMillis).thenComparing(DatasetRecord::id)); // as the catalog orders its own
  }

  @Override
  int run() throws Exception {
    if (onlyCompleted && notOnlyCompleted) {
      throw new UsageException("Cannot search: --only-completed and --not-only-completed exclude each other");
    }
    if (nonRecursiveProject && project == null) {
      throw badValue("Cannot search: --non-recursive-project-search limits --project to itself, and no --project was given");
    }
    if (project != null && project.length() > 1 && project.endsWith("/")) {
      project = project.substring(0, project.length() - 1); // "a/" is project a, as a folder path would be
    }
    Predicate<String> named = DatasetRepository.nameFilter(name);
    tags.removeIf(String::isEmpty); // "--tags ''" or "a,,b": no tag is empty, as in the web UI's filter
    TagQuery tagged = TagQuery.parse(tags);
    for (String id : ids) {
      Catalog.requireIdForm(id); // before any remote is asked
    }
    List<DatasetRecord> found;
    if (storage != null) {
      VersionListing listing = repo().readRemote(storage, null);
      found = new ArrayList<>(listing.records());
      found.removeIf(r -> !named.test(r.name()) || !tagged.matches(r.tags()));
      int unreadable = listing.unreadable().size();
      if (unreadable > 0) {
        warn(String.format("%s on %s could not be read and %s left out; run cairn fsck --storage %s",
            Format.count(unreadable, "version record"), storage, unreadable == 1 ? "is" : "are", storage));
      }
    } else {
      VersionListing listing = repo().search(nonRecursiveProject ? project : null, name, tags);
      found = new ArrayList<>(listing.records());
      int unreadable = listing.unreadable().size();
      if (unreadable > 0) {
        // Stderr, so that the listing (and --json) stays as it was: the versions that could be read.
        warn(String.format("%s could not be read and %s left out; run cairn fsck",
            Format.count(unreadable, "version record"), unreadable == 1 ? "is" : "are"));
      }
      String team = repo().defaultStorage();
      if (team != null) {
        addTeamVersions(found, team, named, tagged);
      }
    }
    List<String> draftIds = found.stream().filter(DatasetRecord::isDraft).map(DatasetRecord::id).toList();
    found.removeIf(r -> !DatasetRepository.inProject(r.project(), project, !nonRecursiveProject) || (!notOnlyCompleted && r.isDraft()));
    if (!ids.isEmpty()) {
      List<String> prefixes = ids.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
      for (String prefix : prefixes) {
        if (found.stream().noneMatch(r -> r.id().startsWith(prefix))) {
          // A filter that matches nothing, as clearml-data lists it: not an error, but said, with
          // the draft it names when that is why (a remote holds no drafts).
          boolean aDraft = !notOnlyCompleted && draftIds.stream().anyMatch(d -> d.startsWith(prefix));
          note("no version with id " + prefix + " among those searched"
              + (storage != null ? " on " + storage : aDraft ? " (it is a draft: --not-only-completed lists drafts too)"
                  : heldHere(prefix) ? (givenFilters().isEmpty() ? " (its record could not be read: cairn fsck)"
                      : " (it is here, but " + String.join(", ", givenFilters()) + " leave" + (givenFilters().size() == 1 ? "s" : "")
                      + " it out)")
                  : " (deleted, or only on a remote: search --storage URI lists a remote's)"));
        }
      }
      found.removeIf(r -> prefixes.stream().noneMatch(r.id()::startsWith));
    }
    if (json) {
      printJson(found.stream().map(Views::version).toList());
      return 0;
    }
    // A version string is printed whole: two that begin alike must not look the same.
    int versionWidth = Math.max(9, found.stream().mapToInt(r -> r.version().length()).max().orElse(0));
    out().printf("%-16s | %-20s | %s | %-9s | %-16s | %-19s | %s%n", "project", "name", Format.pad("version", versionWidth), "state",
        "tags", "created", "id");
    for (DatasetRecord r : found) {
      out().printf("%s | %s | %s | %s | %s | %s | %s%n", Format.col(r.project(), 16), Format.col(r.name(), 20),
          Format.pad(r.version(), versionWidth), Format.col(r.state().label(), 9), Format.col(String.join(",", r.tags()), 16),
          Format.time(r.createdMillis()), r.id());
    }
    return 0;
  }
}
