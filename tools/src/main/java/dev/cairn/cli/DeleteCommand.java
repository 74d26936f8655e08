package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete", description = "Delete a version (its data goes at the next gc).")
final class DeleteCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--force", description = "Delete even if other versions use it as a parent.")
  boolean force;

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    ds.delete(force);
    if (json) {
      printJson(Map.of("id", ds.id(), "deleted", true));
    } else {
      out().printf("Dataset version %s deleted%n", ds.id());
    }
    return 0;
  }
}
