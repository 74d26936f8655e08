package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.internal.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "publish", description = "Mark a closed version as published.")
final class PublishCommand extends Base {
  @Mixin VersionSelector selector;

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    ds.publish();
    remotes().sendRecordChange(ds);
    if (json) {
      printJson(Json.object("id", ds.id(), "state", ds.state().label()));
    } else {
      out().printf("Dataset published id=%s%n", ds.id());
    }
    return 0;
  }
}
