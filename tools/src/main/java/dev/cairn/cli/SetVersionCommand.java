package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
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
}
