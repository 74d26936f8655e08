package dev.cairn.cli;

import dev.cairn.dataset.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", description = "List the versions a run used.")
final class RunsCommand extends Base {
  @Option(names = "--run", paramLabel = "RUN", description = "The run (default: $CAIRN_RUN_ID).")
  String run;

  @Override
  int run() throws Exception {
    String r = run != null ? run : System.getenv("CAIRN_RUN_ID");
    if (r == null || r.isBlank()) {
      throw badValue("Cannot list runs: give --run RUN (or set CAIRN_RUN_ID)"); // as a required option missing
    }
    List<Usage.Use> uses = repo().usage().run(r);
    if (json) {
      printJson(uses.stream().map(u -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alias", u.alias());
        m.put("id", u.id());
        m.put("project", u.project());
        m.put("name", u.name());
        m.put("version", u.version());
        m.put("root", u.root().hex());
        m.put("time", Format.iso(u.timeMillis()));
        return m;
      }).toList());
    } else {
      for (Usage.Use u : uses) {
        out().printf("%-16s %s %s %s (%s)%n", u.alias(), u.id(), u.name(), u.version(), Format.time(u.timeMillis()));
      }
      if (uses.isEmpty()) {
        out().println("Run " + r + " used no version");
      }
    }
    return 0;
  }
}
