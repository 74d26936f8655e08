package dev.cairn.cli;

import dev.cairn.dataset.CacheCheck;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Glob;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.VerifyProblem;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check a version's stored objects and the cached folders get handed out of it (every file"
    + " hashed, as clearml-data checks its cache folder), or a folder against the version. Exits non-zero and names "
    + "every differing path. Files of a version fetched in part from its remote are listed as "
    + "not_fetched (the first ten listed, the rest counted; --verbose lists them all): not damage, and the exit status stays zero (with --storage, they are fetched, and "
    + "data the remote cannot give makes it non-zero). With --filesize, no file content is "
    + "read: with --folder, files missing, unexpected or of another size; without, stored objects "
    + "missing or of another size (not bytes damaged in place), and cached folders changed by size or time.")
final class VerifyCommand extends Base {
  @Mixin VersionSelector selector;
  @Mixin StepsOption steps;

  @Option(names = "--folder", paramLabel = "DIR", description = "Compare this folder (for example a copy) with the version.")
  Path folder;

  @Option(names = "--filesize", description = "Check only presence and sizes, reading no file content (fast).")
  boolean filesize;

  /** With --folder: the files a get --part/--filter copied, which the folder is compared with. */
  @Mixin SelectionOptions selection;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch from this remote what the check needs and is not here: the"
      + " version's record and manifest, and, without --folder, its files' data (kept, as a get keeps it), so that every byte is"
      + " checked; with --name, the remote's highest version.")
  String storage;

  /** Files not fetched listed a line each, at most, without --verbose. */
  private static final int LISTED_NOT_FETCHED = 10;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  boolean readsOnly() {
    return true;
  }

  @Override
  int run() throws Exception {
    if (selection.given() && folder == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Cannot verify: --part, --num-parts and --filter say which"
          + " files of a folder (--folder DIR) to check, as get --copy took them; without --folder, every stored file is checked");
    }
    Selection sel = selection.selection("verify");
    Dataset ds = selectOrFetch(selector, storage);
    if (!selection.filters.isEmpty() && !ds.anyFileMatches(selection.filters)) {
      throw new InvalidInputException("Cannot verify: no file of " + ds.id() + " matches --filter " + String.join(" ", selection.filters)
          + Glob.reachHint(selection.filters));
    }
    String remoteDamage = null;
    if (storage != null && folder == null) {
      try {
        repo().fetch(ds.id(), Selection.ALL, storage, null, progress());
      } catch (MissingObjectException | CorruptObjectException damaged) {
        // The remote's copy lacks data: what it could give is checked below, the rest listed as not fetched.
        remoteDamage = ErrorHandler.oneLine(damaged, false);
      }
    }
    // With --verbose the check is said as a step; else a check of what is stored draws its bar (off a
    // terminal, a line every 30 s), and one of a folder, which reports no progress, says nothing.
    Progress check = steps.verbose ? progress() : Progress.NONE;
    DatasetRecord checked = ds.record();
    if (steps.verbose) {
      Selection.Totals scope;
      try {
        scope = ds.totals(folder == null ? Selection.ALL : sel); // a part or filter: its files alone
      } catch (IOException unreadable) { // a damaged node: the check below says so
        scope = new Selection.Totals(checked.fileCount(), checked.totalBytes());
      }
      check.start("checking " + (filesize ? "the sizes of " : "") + Format.count(scope.files(), "file")
          + (folder == null ? " as stored" : " in " + folder) + (filesize ? "" : ", " + Format.bytes(scope.bytes())), -1);
    }
    List<VerifyProblem> problems;
    try {
      problems = folder == null ? (filesize ? ds.verifySizes() : ds.verify(steps.verbose ? Progress.NONE : progress())) : ds.verify(folder, sel, filesize);
    } finally {
      check.finish();
    }
    long differences = problems.stream().filter(p -> p.kind().isDifference()).count();
    // Not fetched: files (with a path), or the version's own object (an ancestor of a version fetched).
    long notFetched = problems.stream().filter(p -> !p.kind().isDifference() && !p.path().isEmpty()).count();
    boolean recordOnly = problems.stream().anyMatch(p -> !p.kind().isDifference() && p.path().isEmpty());
    // The folders get hands out are copies too (clearml-data's verify checks its cache folder):
    // one written to since it was built no longer holds the version.
    List<Path> changedCopies = folder == null ? ds.changedCachedFolders() : List.of();
    // Without --filesize, as clearml-data's verify, every file of them is hashed: a file written to
    // in place with its size and time put back (a root user ignores the read-only mode) is found,
    // which the next get would hand out as it is.
    List<CacheCheck.Damage> damagedCopies = folder == null && !filesize ? ds.damagedCachedFolders(changedCopies) : List.of();
    boolean ok = differences == 0 && remoteDamage == null && changedCopies.isEmpty() && damagedCopies.isEmpty();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("ok", ok);
      m.put("remote_problem", remoteDamage);
      m.put("changed_cached_folders", changedCopies.stream().map(p -> p.toAbsolutePath().toString()).toList());
      m.put("damaged_cached_folders", damagedCopies.stream().map(d -> Json.object("path", d.path().toAbsolutePath().toString(),
          "detail", d.what())).toList());
      m.put("problems", problems.stream().map(p -> Json.object("path", p.path(), "kind", p.kind().name().toLowerCase(Locale.ROOT),
          "detail", p.detail())).toList());
      printJson(m);
    } else {
      // What is not here is no damage: a few are listed, many only counted (--verbose lists them),
      // unless the remote could not give them.
      boolean listAbsent = steps.verbose || remoteDamage != null || notFetched <= LISTED_NOT_FETCHED;
      long absentListed = 0;
      for (VerifyProblem p : problems) {
        if (!p.kind().isDifference() && !listAbsent && absentListed++ >= LISTED_NOT_FETCHED) {
          continue;
        }
        out().printf("%-10s %s%s%n", p.kind().name().toLowerCase(Locale.ROOT), p.path().isEmpty() ? "" : printable(p.path()) + ": ",
            printable(p.detail()));
      }
      if (!listAbsent) {
        out().printf("%-10s ... and %d more%n", "not_fetched", notFetched - LISTED_NOT_FETCHED);
      }
      List<String> absent = new ArrayList<>();
      if (recordOnly) {
        absent.add("its version object");
      }
      if (notFetched > 0) {
        absent.add("the data of " + Format.count(notFetched, "file") + (listAbsent ? "" : " (--verbose lists them all)"));
      }
      String fetched = absent.isEmpty() ? ""
          : " (" + String.join(" and ", absent) + " not fetched, so not checked: " + (storage == null
              ? "cairn verify --storage URI fetches what is on the version's remote"
              : remoteDamage != null ? "the remote could not give it whole, see below" : "the remote does not hold it") + ")";
      // "Verified" only when all is: a changed cached folder, or a remote that could not give
      // what it should hold, fails the check (exit 1), said below.
      // The last line names the version checked, and the folder: one picked without --id may not be the one meant.
      String version = printable(checked.name()) + " " + checked.version() + " (" + ds.shortId() + ")";
      String subject = folder == null ? version : printable(folder.toString()) + " against " + version;
      String stored = changedCopies.isEmpty() && damagedCopies.isEmpty() && remoteDamage == null ? "Verified " + subject + ": no differences"
          : "Stored data of " + version + ": no differences";
      out().println((differences == 0 ? stored : subject + ": " + Format.count(differences, "differing path")) + fetched);
      if (folder == null && problems.stream().anyMatch(p -> p.kind() == VerifyProblem.Kind.DAMAGED)) {
        // fsck knows, for each version, whether a remote holds it: its last lines say how to get it back.
        out().println("Stored data is missing or damaged: cairn fsck says how to get each version that lacks it back (with --repair,"
            + " it first sets damaged data aside)");
      }
      for (Path p : changedCopies) {
        out().println("The cached folder " + p.toAbsolutePath() + " was changed after get built it (the next get builds it again;"
            + " " + verifyFolderAdvice(p) + " says what differs)");
      }
      for (CacheCheck.Damage d : damagedCopies) {
        out().println("The cached folder " + d.path().toAbsolutePath() + " no longer holds the version: " + d.what() + " (its size and"
            + " time unchanged, the next get would hand it out as it is: cairn fsck --repair deletes it, and the changed cached files"
            + " other versions' folders share, then get builds it again)");
      }
    }
    if (remoteDamage != null) {
      err().println("cairn: " + storage + " could not give all of " + ds.shortId() + "'s data: " + remoteDamage
          + "; cairn fsck --storage " + storage + " --read-data says what is damaged there (without --read-data, it reads"
          + " only the packs' indexes: bytes damaged inside a pack go unseen)");
    }
    return ok ? 0 : 1;
  }

  /**
   * The verify of a cached folder {@code p} that compares it with what its get took: a part's
   * folder ({@code <id>.parts-K-of-N}) with its part, a filtered one with the filter its get was
   * given (its name keeps only a hash of the patterns).
   */
  static String verifyFolderAdvice(Path p) {
    String name = p.getFileName().toString();
    String command = "cairn verify --folder " + p.toAbsolutePath();
    java.util.regex.Matcher part = java.util.regex.Pattern.compile("\\.parts-(\\d+)-of-(\\d+)").matcher(name);
    if (part.find()) {
      command += " --part " + part.group(1) + " --num-parts " + part.group(2);
    }
    return name.contains(".filter-") ? command + ", given the --filter its get was given," : command;
  }

  /** A path or detail as one line: a name found in a folder may hold any character but NUL and /. */
  private static String printable(String s) {
    return DatasetPaths.printable(s);
  }
}
