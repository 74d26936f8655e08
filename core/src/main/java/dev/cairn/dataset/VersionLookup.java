package dev.cairn.dataset;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Finds the version {@link GetOptions} ask for, here or on a remote, and makes the draft they may ask for. */
final class VersionLookup {
  private VersionLookup() {}

  static Dataset get(DatasetRepository repo, GetOptions o, Progress progress) throws IOException {
    if (o.id() == null && o.name() == null && TagQuery.parse(o.tags()).isEmpty()) {
      // Only empty tags (or an operator alone): a query every version would match.
      throw new InvalidInputException("Cannot find a version by its tags: give at least one tag");
    }
    // A remote not made yet holds nothing to find: a draft made for it makes it, as a create does.
    boolean newRemote = o.autoCreate() && o.storage() != null && holdsNoRemote(repo, o.storage());
    Dataset found;
    try {
      found = newRemote ? null : find(repo, o, progress);
    } catch (DatasetNotFoundException e) {
      if (!o.autoCreate()) {
        throw e;
      }
      return create(repo, o, known(repo, o.storage()), e);
    }
    if (found == null) {
      return create(repo, o, repo.catalog().readAll().records(), null);
    }
    if (!o.writableCopy()) {
      return found;
    }
    DatasetRecord r = found.record();
    return Dataset.create(repo, CreateOptions.of(r.project(), r.name()).parents(r.id()).storage(o.storage()).build());
  }

  /**
   * The draft {@code autoCreate} makes, as clearml does: in the project given, else in the one that
   * holds the name among {@code known} (here and on the remote), else in none; while nothing
   * matches, every call makes another. A version string one of {@code known} holds already (a
   * version the filters left out) is said as {@code notFound}, not made a second time.
   */
  private static Dataset create(DatasetRepository repo, GetOptions o, List<DatasetRecord> known, DatasetNotFoundException notFound)
      throws IOException {
    String project = o.project();
    if (project == null) {
      DatasetRepository.requireOneProject(known, o.name()); // not guessed among several
      project = known.stream().filter(r -> r.name().equals(o.name())).map(DatasetRecord::project).findFirst().orElse("");
    }
    String in = project;
    if (notFound != null && o.version() != null
        && known.stream().anyMatch(r -> r.name().equals(o.name()) && r.version().equals(o.version()) && r.project().equals(in))) {
      throw notFound;
    }
    return Dataset.create(repo, CreateOptions.of(project, o.name()).version(o.version()).tags(TagQuery.parse(o.tags()).wanted())
        .storage(o.storage()).build());
  }

  /** Whether {@code storage} holds no remote yet. */
  private static boolean holdsNoRemote(DatasetRepository repo, String storage) throws IOException {
    try (Remote remote = repo.openRemote(storage)) {
      return Remote.objectFormatOf(remote.storage()) == null;
    }
  }

  /** The records here, and those of {@code storage} (a remote already) if given. */
  private static List<DatasetRecord> known(DatasetRepository repo, String storage) throws IOException {
    List<DatasetRecord> all = new ArrayList<>(repo.catalog().readAll().records());
    if (storage != null) {
      all.addAll(repo.readRemote(storage, null).records());
    }
    return all;
  }

  private static Dataset find(DatasetRepository repo, GetOptions o, Progress progress) throws IOException {
    if (o.id() != null) {
      Dataset ds = Dataset.getFrom(repo, o.id(), o.storage(), progress);
      requireState(ds.record(), o);
      return ds;
    }
    if (o.tags().isEmpty() && !o.onlyPublished()) {
      if (o.storage() == null) {
        return repo.get(o.project(), o.name(), o.version(), o.onlyClosed());
      }
      String id = repo.resolveRemote(o.storage(), null, o.project(), o.name(), o.version());
      return Dataset.getFrom(repo, id, o.storage(), progress); // no draft is uploaded: the state filter has nothing to leave out
    }
    String where = o.storage() == null ? "here" : "on " + o.storage();
    List<DatasetRecord> records = o.storage() == null ? repo.catalog().readAll().records() : repo.readRemote(o.storage(), null).records();
    if (o.name() != null && o.project() == null) {
      DatasetRepository.requireOneProject(records, o.name()); // before any filter, as a plain lookup refuses it
    }
    TagQuery tagged = TagQuery.parse(o.tags());
    Predicate<DatasetRecord> named = r -> (o.name() == null || r.name().equals(o.name()))
        && (o.project() == null || r.project().equals(o.project())) && (o.version() == null || r.version().equals(o.version()));
    List<DatasetRecord> matching = records.stream().filter(named).filter(r -> tagged.matches(r.tags())).toList();
    if (matching.isEmpty()) {
      throw new DatasetNotFoundException("Cannot find dataset version: no " + describe(o, tagged) + " " + where);
    }
    List<DatasetRecord> wanted = matching.stream().filter(r -> stateProblem(r, o) == null).toList();
    if (wanted.isEmpty()) {
      DatasetRecord newest = newest(matching);
      throw new DatasetNotFoundException("Cannot find dataset version: no " + describe(o, tagged) + " " + where + " is "
          + (o.onlyPublished() ? "published" : "closed") + " (the newest, " + DatasetRepository.label(newest.project(), newest.name())
          + " " + newest.version() + " (" + newest.id() + "), " + stateProblem(newest, o) + ")");
    }
    DatasetRecord top = o.name() != null ? DatasetRepository.highest(wanted, o.project(), o.name(), o.version(), where) : newest(wanted);
    return Dataset.getFrom(repo, top.id(), o.storage(), progress);
  }

  /** The latest created: what a lookup by tags alone answers, across datasets whose version strings do not compare. */
  private static DatasetRecord newest(List<DatasetRecord> records) {
    return records.stream().max(Comparator.comparingLong(DatasetRecord::createdMillis)).orElseThrow();
  }

  private static void requireState(DatasetRecord r, GetOptions o) throws DatasetNotFoundException {
    String problem = stateProblem(r, o);
    if (problem != null) {
      throw new DatasetNotFoundException("Cannot get version " + r.id() + " (" + DatasetRepository.label(r.project(), r.name()) + " "
          + r.version() + "): it " + problem + ", and only " + (o.onlyPublished() ? "published" : "closed") + " versions were asked for");
    }
  }

  /** Why {@code r} is not a version {@code o} takes ("is a draft", "is closed, not published"), or null if it is. */
  private static String stateProblem(DatasetRecord r, GetOptions o) {
    if ((o.onlyClosed() || o.onlyPublished()) && r.isDraft()) {
      return "is a draft";
    }
    if (o.onlyPublished() && r.state() != DatasetState.PUBLISHED) {
      return "is closed, not published";
    }
    return null;
  }

  private static String describe(GetOptions o, TagQuery tagged) {
    String what = o.name() == null ? "version" : "dataset " + (o.project() == null || o.project().isEmpty() ? "" : o.project() + "/")
        + o.name() + (o.project() != null && o.project().isEmpty() ? " without a project" : "") + (o.version() == null ? ""
        : " version " + o.version());
    return what + (tagged.isEmpty() ? "" : " tagged " + tagged);
  }
}
