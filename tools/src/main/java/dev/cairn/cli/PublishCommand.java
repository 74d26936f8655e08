package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetState;
import dev.cairn.internal.json.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "publish", description = "Mark a closed version as published.")
final class PublishCommand extends Base {
  @Mixin VersionSelector selector;

  @Override
  boolean takesClosed() {
    return true;
  }

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    VersionRemotes.Before before = remotes().takeNewerRecords(ds); // a teammate may have published it there
    // Published already: what was asked for holds, so a script run again goes on (the Java API refuses it).
    boolean already = ds.state() == DatasetState.PUBLISHED;
    if (already) {
      note(ds.shortId() + " was published already");
    } else {
      ds.publish();
      remotes().sendRecordChange(ds, before);
    }
    if (json) {
      printJson(Json.object("id", ds.id(), "state", ds.state().label(), "already", already));
    } else {
      out().printf(already ? "Dataset published already id=%s%n" : "Dataset published id=%s%n", ds.id());
    }
    return 0;
  }
}
