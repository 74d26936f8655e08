package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.transport.Pusher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "close", description = "Finalize a draft: its content is fixed from now on.")
final class CloseCommand extends Base {
  @Mixin VersionSelector selector;
  @Mixin StepsOption steps;
  @Mixin WorkersOption workers;
  @Mixin ChunkSizeOption chunkSize;

  @Option(names = "--storage", paramLabel = "URI", description = "Remote to upload to once closed (default: the version's storage, $CAIRN_STORAGE or remote.default).")
  String storage;

  @Option(names = "--disable-upload", description = "Close without uploading to a remote.")
  boolean disableUpload;

  @Override
  int run() throws Exception {
    if (disableUpload && (storage != null || chunkSize.megabytes != null)) {
      throw new UsageException("Cannot close: " + (storage != null ? "--storage names where" : "--chunk-size says how")
          + " to upload, --disable-upload says not to; give one");
    }
    long packBytes = chunkSize.packTargetBytes();
    Dataset ds = select(selector);
    String target = storage != null ? storage : ds.record().storage() != null ? ds.record().storage() : repo().defaultStorage();
    chunkSize.requireRemote("close", disableUpload ? null : target);
    if (target != null && !disableUpload && ds.record().isDraft()) {
      requireRemoteBeforeClose(ds, target, storage);
    }
    // Run again after an interruption during its upload, close finishes that upload; a version
    // closed with nothing left to upload is refused as before.
    boolean closedBefore = !ds.record().isDraft() && target != null && !disableUpload && !ds.isUploadedTo(target);
    if (!closedBefore) {
      if (!ds.record().isDraft()) {
        ds.close(); // refused, with the reason: no step to report before it
      }
      progress().start("closing " + ds.shortId() + ": writing its version object", 0);
      try {
        ds.close();
      } finally {
        progress().finish();
      }
      currentNow(); // closed: the version named stays the current one, should its upload fail
    }
    Pusher.Result pushed = null;
    if (target != null && !disableUpload) {
      pushed = uploadAfterClose(() -> uploadClosed(ds, target, storage, packBytes, !closedBefore));
      if (closedBefore && pushed != null) {
        List<String> elsewhere = ds.record().uploadedTo().stream().filter(u -> !u.equals(uri(target))).toList();
        note(ds.shortId() + (elsewhere.isEmpty()
            ? " was closed already, but not uploaded there (a close with --disable-upload, one whose upload failed or was"
                + " stopped, or one still uploading it): this close uploaded it"
            : " was closed already and is on " + String.join(", ", elsewhere) + ": this close uploaded a copy to " + uri(target)
                + ", as 'cairn upload --storage' does"));
      }
    } else if (!disableUpload) {
      remotes().staysLocal(ds);
    }
    DatasetRecord r = ds.record();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("state", r.state().label());
      m.put("version", r.version());
      m.put("version_object", r.versionObject().hex());
      m.put("files", r.fileCount());
      m.put("bytes", r.totalBytes());
      m.put("stored_bytes", r.storedBytes());
      m.put("changes", new TreeMap<>(r.summary().toJson()));
      putUpload(m, pushed, target);
      printClosedJson(m);
    } else {
      out().printf("Dataset closed id=%s (%s version %s): %s, %s; %d added, %d modified, %d removed; %s stored%n",
          r.id(), r.name(), r.version(), Format.count(r.fileCount(), "file"), Format.bytes(r.totalBytes()), r.summary().added(),
          r.summary().modified(), r.summary().removed(), Format.bytes(r.storedBytes()));
      if (pushed != null) {
        printUploaded(pushed, target);
      }
    }
    return 0;
  }
}
