package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.transport.Pusher;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "upload", description = "Upload a closed version (and what its remote lacks of its lineage) to a remote; of a draft, as"
    + " clearml-data's upload, its files' data now and the rest with the upload at its close.")
final class UploadCommand extends Base {
  @Mixin VersionSelector selector;
  @Mixin StepsOption steps;
  @Mixin WorkersOption workers;
  @Mixin ChunkSizeOption chunkSize;

  @Option(names = "--storage", paramLabel = "URI", description = "The remote (default: the version's storage, $CAIRN_STORAGE or remote.default).")
  String storage;

  @Override
  int run() throws Exception {
    long packBytes = chunkSize.packTargetBytes();
    Dataset ds = select(selector);
    String target = storage != null ? storage : ds.record().storage() != null ? ds.record().storage() : repo().defaultStorage();
    boolean toParents = false;
    if (target == null) {
      // Made while its parents' remote could not be used (offline, say), or kept here at its close:
      // asked to upload, it goes there, as a version made while that remote could be used would have.
      String parents = remotes().parentsRemote(ds.record().parents());
      if (parents != null && !holdsCairnData(parents)) {
        // Moved away, or a share not mounted: not made again as a new remote there.
        throw new InvalidInputException("Cannot upload: its parents' remote " + parents + " holds no Cairn data now (moved away, or not"
            + " mounted?); make it reachable again, or give --storage URI");
      }
      target = parents;
      toParents = target != null;
    }
    if (target == null) {
      throw new InvalidInputException("Cannot upload: give --storage URI (or set CAIRN_STORAGE, or remote.default in the repository's config)");
    }
    if (toParents) {
      int parents = ds.record().parents().size();
      note(ds.shortId() + " goes to " + target + ", " + (parents == 1 ? "its parent's" : "its parents'") + " remote (--storage names another)");
    } else {
      requireOwnRemoteThere(ds, target, storage, "Cannot upload " + ds.id(), "");
    }
    boolean draft = ds.record().isDraft();
    Pusher.Result r;
    try {
      r = ds.upload(target, null, packBytes, progress());
    } catch (java.nio.file.FileSystemException local) {
      // A file of a folder remote, or of this repository: say which command, and where, failed.
      throw new java.io.IOException("Cannot upload " + ds.id() + " to " + uri(target) + ": " + ErrorHandler.oneLine(local), local);
    }
    String where = uri(target);
    if (draft) {
      // clearml-data's upload of a draft: its files' data now, the rest at its close.
      if (r.remoteCreated()) {
        noteNewRemote(target);
      }
      String own = ds.record().storage();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ds.id());
        m.put("storage", where);
        m.put("draft", true);
        m.put("objects", r.objectsUploaded());
        m.put("bytes", r.bytesUploaded());
        m.put("remote_created", r.remoteCreated());
        m.put("close_uploads_to", own == null ? null : uri(own));
        printJson(m);
      } else {
        out().printf("Uploaded the data of draft %s to %s: %s, %s; close uploads the rest (its manifest and version) to %s%n", ds.id(),
            where, Format.count(r.objectsUploaded(), "object"), Format.bytes(r.bytesUploaded()), own == null ? where : uri(own));
      }
      return 0;
    }
    notePush(ds, r, target);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("storage", where);
      m.put("draft", false);
      m.put("versions", r.versionsPushed());
      m.put("objects", r.objectsUploaded());
      m.put("bytes", r.bytesUploaded());
      m.put("up_to_date", r.upToDate());
      m.put("record_taken", r.recordTaken());
      m.put("remote_created", r.remoteCreated());
      m.put("restored", r.restored());
      printJson(m);
      return 0;
    }
    if (r.upToDate()) {
      out().printf("%s is up to date on %s: nothing to upload%n", ds.id(), where);
    }
    if (r.versionsPushed() > 0) {
      out().printf("Uploaded %s to %s: %s, %s, %s%n", ds.id(), where, Format.count(r.versionsPushed(), "version"),
          Format.count(r.objectsUploaded(), "object"), Format.bytes(r.bytesUploaded()));
    }
    if (r.recordTaken()) {
      DatasetRecord now = ds.record();
      out().printf("The record of %s on %s is newer than this copy (it changed there since this copy was fetched): taken here,"
          + " now %s %s%n", ds.id(), where, DatasetRepository.label(now.project(), now.name()), now.version());
    }
    return 0;
  }
}
