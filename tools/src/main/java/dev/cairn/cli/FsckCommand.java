package dev.cairn.cli;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.VersionObjectRecovery;
import dev.cairn.gc.Fsck;
import dev.cairn.gc.Problem;
import dev.cairn.gc.Repair;
import dev.cairn.transport.RemoteFsck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fsck", description = "Check every pack byte, object hash, index entry, record and what it reaches. With --storage, "
    + "check a remote: its pack indexes, its records and that every object its versions reach is there "
    + "(--read-data: every pack byte too). Exits non-zero when data is damaged or missing; --repair "
    + "rebuilds what is derived.")
final class FsckCommand extends Base {
  @Option(names = "--repair", description = "Rebuild the index, salvage intact objects of damaged packs, recover lost records of closed"
      + " versions from their version objects and lost version objects from their records, remove stale locks and damaged"
      + " cached copies. With --storage: replace each damaged pack by its intact objects (reads every pack) and mark the remote incomplete"
      + " until the versions that lack data are uploaded again.")
  boolean repair;

  @Option(names = "--storage", paramLabel = "URI", description = "Check this remote instead of the local repository.")
  String storage;

  @Option(names = "--read-data", description = "With --storage: read every pack in full and check every object's hash"
      + " (downloads the whole remote). A local fsck always does, with or without it.")
  boolean readData;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    List<String> actions = List.of();
    Fsck.Report report;
    List<String> incomplete = List.of();
    if (storage != null) {
      try (var remote = repo().openRemote(storage)) {
        RemoteFsck check = new RemoteFsck(remote, repo().repository(), progress());
        RemoteFsck.Outcome o = repair ? check.repair() : check.check(readData);
        report = o.report();
        actions = o.repairs();
        incomplete = o.incomplete();
      }
    } else {
      if (repair) {
        actions = new Repair(repo(), progress()).run();
      }
      report = new Fsck(repo(), progress()).check();
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", report.ok());
      m.put("packs", report.packs());
      m.put("objects", report.objects());
      m.put("versions", report.versions());
      m.put("bytes", report.bytes());
      m.put("repairs", actions);
      if (storage != null) {
        m.put("storage", uri(storage));
        m.put("incomplete_versions", incomplete);
      } else {
        m.put("damaged_versions", damaged(report).stream().map(r -> {
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("id", r.id());
          x.put("project", r.project());
          x.put("name", r.name());
          x.put("version", r.version());
          x.put("state", r.state().name().toLowerCase(Locale.ROOT));
          x.put("storage", r.storage());
          return x;
        }).toList());
      }
      m.put("problems", report.problems().stream().map(p -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
        x.put("object", p.what());
        x.put("file", p.where());
        x.put("message", p.message());
        return x;
      }).toList());
      printJson(m);
    } else {
      actions.forEach(a -> out().println("repaired: " + a));
      for (Problem p : report.problems()) {
        out().println(p);
      }
      String checked = Format.count(report.packs(), "pack") + " (" + Format.bytes(report.bytes()) + "), "
          + Format.count(report.objects(), "object") + ", " + Format.count(report.versions(), "version");
      String found = Format.count(report.errors().size(), "error") + ", "
          + Format.count(report.problems().size() - report.errors().size(), "warning");
      // Damaged: the errors first, so that the counts of what was checked do not read as counts of damage.
      out().println(report.ok() ? "ok: " + checked + "; " + found : "DAMAGED: " + found + "; checked " + checked);
      List<DatasetRecord> damaged = damaged(report);
      printWayForward(damaged);
      if (!report.ok() && !repair && damaged.isEmpty() && storage != null) {
        String at = " --storage " + uri(storage);
        out().println("cairn fsck" + at + " --repair replaces the remote's damaged packs by their intact objects and marks what the"
            + " versions there lack, for uploads to complete; run cairn fsck" + at + " again after it");
      } else if (!report.ok() && !repair && damaged.isEmpty()) {
        out().println("cairn fsck --repair rebuilds what can be rebuilt (the index, lost records and reservations, the intact objects of"
            + " damaged packs); run cairn fsck again after it");
      }
    }
    return report.ok() ? 0 : 1;
  }

  /** The records of the versions whose data the check found damaged or missing. */
  private List<DatasetRecord> damaged(Fsck.Report report) throws IOException {
    List<DatasetRecord> records = new ArrayList<>();
    for (String id : report.damagedVersions()) {
      if (repo().catalog().exists(id)) {
        records.add(repo().catalog().read(id));
      }
    }
    return records;
  }

  /**
   * What a user can do about each version whose data is damaged here: fetch it again from the
   * remote it was uploaded to, or, with no copy elsewhere, delete it (its files' sources may still
   * be at hand to make it again).
   */
  private void printWayForward(List<DatasetRecord> damaged) throws IOException {
    if (damaged.isEmpty()) {
      return;
    }
    out().println(Format.count(damaged.size(), "version") + " lack" + (damaged.size() == 1 ? "s" : "")
        + " data here" + (repair ? ":" : "; after cairn fsck --repair (which keeps every intact object):"));
    int shown = 0;
    int fromRemotes = 0;
    for (DatasetRecord r : damaged) {
      if (shown++ == WAY_FORWARD_LINES) {
        out().println("  ... and " + Format.count(damaged.size() - WAY_FORWARD_LINES, "more version"));
        break;
      }
      String id = r.shortId();
      String what = "  " + id + " (" + DatasetRepository.label(r.project(), r.name()) + " " + r.version() + "): ";
      if (!repair && VersionObjectRecovery.canRebuildAllItLacks(repo(), r)) {
        out().println(what + "its lost version object can be rebuilt from its record: cairn fsck --repair");
      } else if (r.storage() == null && VersionObjectRecovery.onlyVersionObjectLost(repo(), r)) {
        out().println(what + "only its version object is lost, and its record changed since close, so it cannot be rebuilt; its"
            + " files are intact: copy them out (cairn get --id " + id + " --copy DIR), then delete it and make it again");
      } else if (r.storage() != null && !r.isDraft() && uploadedTo(r)) {
        out().println(what + "get it again from its remote: cairn get --id " + id + " --storage " + r.storage());
        fromRemotes++;
      } else if (r.storage() == null && !r.isDraft() && r.wasRecovered()) {
        String held = remoteThatHeld(r);
        out().println(what + "its record was recovered here from its version object, which names no remote; "
            + (held != null ? held + " held it when last read from here: cairn get --id " + id + " --storage " + held + " fetches it"
                : "if a remote holds it, cairn get --id " + id + " --storage URI fetches it")
            + " (and that remote's record of it, with its tags and metadata); else cairn delete --id " + id + " removes it");
      } else {
        out().println(what + (r.isDraft() ? "a draft, never uploaded" : "never uploaded") + ", so no copy is known: adding its source"
            + " files again to any draft stores lost file data anew (cairn fsck then tells what is still missing); or cairn delete --id " + id
            + " removes it");
      }
    }
    if (fromRemotes > 1) {
      // Offline, fsck cannot know that a teammate deleted one of them there since.
      out().println("  (a get brings back what its version lacks, and so what the others share with it: run fsck again after"
          + " each; should a remote say one was deleted there since, get the next)");
    }
  }

  /** The remotes this repository's versions were uploaded to, and the team remote; read once. */
  private java.util.Set<String> remotesKnown;

  /**
   * The remote, of those this repository knows, whose pack indexes cached here list {@code r}'s
   * version object; null if none does. Reads no remote.
   */
  private String remoteThatHeld(DatasetRecord r) throws IOException {
    if (r.versionObject() == null) {
      return null;
    }
    List<String> named = dev.cairn.transport.Remote.cachedHolders(repo().repository(), r.versionObject());
    if (!named.isEmpty()) {
      return named.get(0);
    }
    if (remotesKnown == null) {
      // As the pack indexes' cache names them: the address as records keep it (a bucket's root
      // keeps its slash), each once.
      remotesKnown = new java.util.TreeSet<>();
      for (DatasetRecord x : repo().catalog().all()) {
        remotesKnown.addAll(x.uploadedTo());
      }
      if (repo().defaultStorage() != null) {
        remotesKnown.add(dev.cairn.storage.Storages.canonical(repo().defaultStorage()));
      }
    }
    for (String remote : remotesKnown) { // caches an earlier release wrote, which keep no address
      if (dev.cairn.transport.Remote.cachedIndexLists(repo().repository(), remote, r.versionObject())) {
        return remote;
      }
    }
    return null;
  }

  /** Whether {@code r}'s remote holds it: uploaded there, or fetched from it (a record created against a remote may never have been). */
  private boolean uploadedTo(DatasetRecord r) {
    try {
      return repo().get(r.id()).isUploadedTo(r.storage());
    } catch (IOException | RuntimeException unreadable) {
      return true; // its remote is named, as before: the get says whether it holds it
    }
  }

  private static final int WAY_FORWARD_LINES = 10;
}
