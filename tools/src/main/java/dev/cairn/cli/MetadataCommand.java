package dev.cairn.cli;

import dev.cairn.dataset.Dataset;
import dev.cairn.manifest.DatasetPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "metadata", description = "Show or set a version's metadata (key=value pairs). Each key prints on a line of its own, "
    + "control characters (a newline) as \\xNN; --json prints values exactly.")
final class MetadataCommand extends Base {
  @Mixin VersionSelector selector;

  @Option(names = "--set", paramLabel = "K=V", arity = "1..*", description = "Set keys (an empty value removes the key).")
  List<String> set = new ArrayList<>();

  @Override
  boolean readsOnly() {
    return set.isEmpty(); // only shown: the version stays the current one it was
  }

  @Override
  int run() throws Exception {
    Dataset ds = select(selector);
    if (!set.isEmpty()) {
      Map<String, String> changes = new LinkedHashMap<>();
      for (String kv : set) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw badValue("Cannot set metadata '" + DatasetPaths.printable(kv) + "': use KEY=VALUE");
        }
        String k = kv.substring(0, eq);
        String v = kv.substring(eq + 1);
        if (changes.containsKey(k) && !java.util.Objects.equals(changes.get(k), v.isEmpty() ? null : v)) {
          throw badValue("Cannot set metadata: key '" + DatasetPaths.printable(k) + "' is given two values; give it one");
        }
        changes.put(k, v.isEmpty() ? null : v);
      }
      VersionRemotes.Before before = remotes().takeNewerRecords(ds);
      ds.setMetadata(changes);
      remotes().sendRecordChange(ds, before);
    }
    Map<String, String> md = new TreeMap<>(ds.metadata());
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("metadata", md);
      printJson(m);
    } else if (md.isEmpty()) {
      out().printf("%s has no metadata%n", ds.id()); // as tags says it has none
    } else {
      // One line a key: control characters (a newline in a value) print as \xNN; --json gives values exactly.
      md.forEach((k, v) -> out().printf("%s=%s%n", DatasetPaths.printable(k), DatasetPaths.printable(v)));
    }
    return 0;
  }
}
