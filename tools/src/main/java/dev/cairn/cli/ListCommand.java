package dev.cairn.cli;

import dev.cairn.dataset.Conflict;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Glob;
import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the files of a version (no download needed).")
final class ListCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--filter", paramLabel = "GLOB", arity = "1..*", description = "Only paths matching (a folder/ or a pattern).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--modified", description = "Only the change-set: files this version added or modified.")
  boolean modified;

  @Option(names = "--origin", description = "Also show which version brought each file: the nearest one, this or an ancestor, whose own change-set added or modified it to its present content (a version of another dataset, merged in, with its name; with --json: origin, origin_version, origin_dataset, project/name, and origin_deleted, true for a version deleted here).")
  boolean origin;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch the version's manifest from this remote if it is not local; with --name, the remote's highest version.")
  String storage;

  @Override
  String existingRemote() {
    return storage != null ? storage : DatasetRepository.environmentStorage(); // a new teammate's first command makes the repository
  }

  @Override
  boolean readsOnly() {
    return true;
  }

  @Override
  boolean asksTeamRemote() {
    return true;
  }

  /** How many conflicting paths the note beside a listing names at most. */
  static final int LISTED_CONFLICTS = 20;

  @Override
  int run() throws Exception {
    Dataset ds = selectOrFetch(selector, storage);
    // As get reads them (Glob.filter): "sub/" takes what a folder named sub holds, at any depth, as
    // "sub" does; a name in the other Unicode form than the one stored matches it too.
    List<String> patterns = List.copyOf(filters);
    origins = origin ? new Origins(ds.fileOriginRecords(patterns), ds.record()) : null;
    if (origins != null) {
      long unknown = origins.byPath.values().stream().filter(Objects::isNull).count();
      if (unknown > 0) {
        // Stderr, so that the listing (and --json, where it is null) stays as it is.
        note(String.format("the origin of %s is not known here (shown as -): the lineage passes an ancestor whose manifest is"
            + " on a remote only (a get of that ancestor with --storage brings it), or one deleted whose version object is gone too",
            Format.count(unknown, "file")));
      }
    }
    List<Glob> gs = new ArrayList<>();
    for (String p : patterns) {
      gs.add(Glob.parseFilter("filter", p));
    }
    java.util.function.Predicate<String> selected = path -> gs.isEmpty() || gs.stream().anyMatch(g -> g.matches(path));
    if (modified) {
      List<FileEntry> files = new ArrayList<>();
      for (DiffEntry d : ds.changes()) {
        if (d.type() != DiffEntry.ChangeType.REMOVED && selected.test(d.path())) {
          files.add(d.newEntry());
        }
      }
      print(visitor -> {
        for (FileEntry e : files) {
          visitor.visit(e);
        }
      });
    } else {
      // Streamed from the manifest (the table's first files twice: once for the column width), so
      // that a version of millions of files lists in a small heap.
      print(visitor -> ds.forEachFile(patterns, visitor));
    }
    if (json) {
      return 0;
    }
    if (!filters.isEmpty() && !modified && !ds.anyFileMatches(patterns)) {
      // Stderr, so that the listing stays as it is: a pattern read otherwise than clearml-data reads it.
      note("no file of " + ds.shortId() + " matches --filter " + String.join(" ", filters) + Glob.reachHint(filters));
    }
    DatasetRecord r = ds.record();
    // A note beside the listing (scripts read the table, whose last line is the total), while a
    // conflict stands: once every path was changed since the merge, they were resolved by hand.
    if (!r.conflicts().isEmpty() && ds.conflictsChangedSinceMerge().size() < r.conflicts().size()) {
      // Those the filters select, the first few of them: show lists them all.
      List<Conflict> shown = r.conflicts().stream().filter(c -> selected.test(c.path())).toList();
      if (!shown.isEmpty()) {
        out().flush();
        err().println(ConflictLines.header(r, shown.size()));
        ConflictLines.print(err(), shown.subList(0, Math.min(shown.size(), LISTED_CONFLICTS)), ds.conflictsResolvedByDeletion(),
            ds.conflictsChangedSinceMerge());
        String all = "cairn show --id " + r.shortId() + " lists them all";
        if (shown.size() > LISTED_CONFLICTS) {
          err().printf("  ... and %d more%s; %s%n", shown.size() - LISTED_CONFLICTS, gs.isEmpty() ? "" : " matching --filter", all);
        } else if (shown.size() < r.conflicts().size()) {
          err().printf("  (those matching --filter; %s)%n", all);
        }
        err().flush();
      }
    }
    return 0;
  }

  /** Which version brought each file listed, with --origin; else null. */
  private Origins origins;

  /** The versions that brought the files, as the table and the JSON name them. */
  private final class Origins {
    final Map<String, DatasetRecord> byPath;
    final Map<String, Boolean> deletedById = new HashMap<>();
    /** The version listed: an origin of another dataset (a parent merged from it) is shown with its name. */
    final DatasetRecord listed;

    Origins(Map<String, DatasetRecord> byPath, DatasetRecord listed) {
      this.byPath = byPath;
      this.listed = listed;
    }

    /** {@code project/name} of the dataset of the version that brought {@code e}, or null. */
    String dataset(FileEntry e) {
      DatasetRecord r = byPath.get(e.path());
      return r == null ? null : DatasetRepository.label(r.project(), r.name());
    }

    /** The id of the version that brought {@code e}, or null where the lineage could not be followed. */
    String id(FileEntry e) {
      DatasetRecord r = byPath.get(e.path());
      return r == null ? null : r.id();
    }

    String version(FileEntry e) {
      DatasetRecord r = byPath.get(e.path());
      return r == null ? null : r.version();
    }

    /** Whether the origin was deleted here (found through its version object). */
    boolean deleted(String id) {
      return deletedById.computeIfAbsent(id, i -> {
        try {
          return !repo().catalog().exists(i) && repo().catalog().wasDeleted(i);
        } catch (IOException | RuntimeException unknown) {
          return false;
        }
      });
    }

    /**
     * {@code 1.0.3 (a366c3f1)}, {@code 1.0.1 (a366c3f1, deleted)}, {@code vision/cats 1.0.0
     * (17581959)} for a version of another dataset, or {@code -} where the lineage could not be followed.
     */
    String shown(FileEntry e) {
      String id = id(e);
      if (id == null) {
        return "-";
      }
      DatasetRecord r = byPath.get(e.path());
      boolean other = !r.project().equals(listed.project()) || !r.name().equals(listed.name());
      return (other ? dataset(e) + " " : "") + version(e) + " (" + DatasetRecord.shortId(id) + (deleted(id) ? ", deleted" : "") + ")";
    }
  }

  /** How many files the path column's width is taken from. */
  static int widthSample = 10_000;

  /** Stops the walk that measures the path column. */
  private static final class LookedEnough extends RuntimeException {
    static final LookedEnough INSTANCE = new LookedEnough();

    private LookedEnough() {
      super(null, null, false, false);
    }
  }

  /** Files to print, visited once per pass. */
  private interface Files {
    void forEach(Dataset.FileVisitor visitor) throws IOException;
  }

  private void print(Files files) throws IOException {
    PrintWriter out = out();
    if (json) {
      boolean[] first = {true};
      out.print('[');
      files.forEach(e -> {
        out.print(first[0] ? "\n  " : ",\n  ");
        first[0] = false;
        Map<String, Object> m = Views.file(e);
        if (origins != null) {
          m.put("origin", origins.id(e));
          m.put("origin_version", origins.version(e));
          m.put("origin_dataset", origins.dataset(e));
          m.put("origin_deleted", origins.id(e) != null && origins.deleted(origins.id(e)));
        }
        out.print(Json.pretty(m, 1));
      });
      out.println(first[0] ? "]" : "\n]");
      out.flush();
      return;
    }
    // The path column is as wide as the longest path among the first files (80 at most): a table
    // of a million files starts at once, and a longer path further down overflows its cell, as
    // one past 80 columns always does.
    int[] longest = {9};
    long[] looked = {0};
    try {
      files.forEach(e -> {
        longest[0] = Math.max(longest[0], Format.cells(shown(e.path())));
        if (++looked[0] >= widthSample || longest[0] >= 80) {
          throw LookedEnough.INSTANCE;
        }
      });
    } catch (LookedEnough enough) {
      // the width is known
    }
    int width = Math.min(80, longest[0]);
    out.printf("%s | %12s | %s%s%n", Format.col("file name", width), "size", origins == null ? "hash" : Format.col("hash", 64),
        origins == null ? "" : " | origin");
    long[] total = {0, 0, 0};
    // Lines are gathered and written in blocks: printf would flush the terminal writer per line.
    StringBuilder block = new StringBuilder(1 << 16);
    String nl = System.lineSeparator();
    files.forEach(e -> {
      String size = Long.toString(e.size());
      block.append(Format.pad(shown(e.path()), width)).append(" | ").append(" ".repeat(Math.max(0, 12 - size.length()))).append(size)
          .append(" | ").append(e.digest().hex());
      if (origins != null) {
        block.append(" | ").append(origins.shown(e));
      }
      if (e.kind() == EntryKind.LINK) {
        block.append(" -> ").append(e.uri()); // an external file: it stays where it is
        total[2]++;
      }
      block.append(nl);
      if (block.length() >= 1 << 16) {
        out.write(block.toString());
        block.setLength(0);
      }
      total[0]++;
      total[1] += e.size();
    });
    out.write(block.toString());
    out.printf("Total %s%s, %s%n", Format.count(total[0], "file"), total[2] == 0 ? "" : " (" + Format.count(total[2], "external link") + ")",
        Format.count(total[1], "byte"));
  }

  static String shown(String path) {
    return Format.path(path);
  }
}
