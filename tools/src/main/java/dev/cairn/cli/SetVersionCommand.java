package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.VersionStrings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "set-version", description = "Give a version that was never uploaded another version string. For a version whose string "
    + "another repository took first on a remote. Its record changes; the snapshot taken at close keeps "
    + "the old string, as after rename.")
final class SetVersionCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--new-version", paramLabel = "V", required = true, description = "The new version string.")
  String newVersion;

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    String old = ds.version();
    ds.setVersion(newVersion);
    if (!old.equals(newVersion)) {
      warnIfAboveItsChildren(ds);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("old_version", old);
      m.put("version", ds.version());
      printJson(m);
    } else if (old.equals(newVersion)) {
      out().printf("%s is already version %s: nothing changed%n", ds.id(), old);
    } else {
      out().printf("%s %s is now version %s%n", ds.name(), old, newVersion);
    }
    return 0;
  }

  /**
   * Warns when the new string sorts above a child of the same dataset here: by name, {@code get}
   * would then take this ancestor for the dataset's highest version, and the next one would follow it.
   */
  private void warnIfAboveItsChildren(Dataset ds) throws IOException {
    DatasetRecord me = ds.record();
    DatasetRecord below = null;
    for (DatasetRecord r : repo().catalog().readAll().records()) {
      if (r.id().equals(me.id()) || !r.project().equals(me.project()) || !r.name().equals(me.name()) || r.isDraft()) {
        continue;
      }
      if (VersionStrings.compare(r.version(), me.version()) > 0) {
        return; // another version stays the dataset's highest
      }
      if (r.parents().contains(me.id()) && (below == null || VersionStrings.compare(r.version(), below.version()) > 0)) {
        below = r;
      }
    }
    if (below != null) {
      warn(ds.version() + " sorts above " + below.version() + " (" + below.shortId() + "), a child of this version: by name, get now"
          + " takes this one for the dataset's highest, and the next version of it follows " + ds.version());
    }
  }
}
