package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "usage", description = "List the runs that used a version.")
final class UsageCommand extends Base {
  @Mixin VersionSelector selector;

  @Override
  boolean readsOnly() {
    return true; // only shown: the version stays the current one it was
  }

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    List<Usage.Use> uses = repo().usage().usesOf(ds.id());
    if (json) {
      printJson(uses.stream().map(u -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", u.run());
        m.put("alias", u.alias());
        m.put("id", u.id());
        m.put("time", Format.iso(u.timeMillis()));
        return m;
      }).toList());
    } else {
      for (Usage.Use u : uses) {
        out().printf("%s  %-24s as %s%n", Format.time(u.timeMillis()), u.run(), u.alias());
      }
      if (uses.isEmpty()) {
        out().println("No run used this version");
      }
    }
    return 0;
  }
}
