package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.internal.json.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "set-description", description = "Set a version's description.")
final class SetDescriptionCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--description", paramLabel = "D", required = true, description = "The description.")
  String description;

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    VersionRemotes.Before before = remotes().takeNewerRecords(ds);
    ds.setDescription(description);
    remotes().sendRecordChange(ds, before);
    if (json) {
      printJson(Json.object("id", ds.id(), "description", description));
    } else {
      out().printf("Description set for %s%n", ds.id());
    }
    return 0;
  }
}
