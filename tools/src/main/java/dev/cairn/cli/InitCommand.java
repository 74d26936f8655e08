package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn init}: makes the repository ({@code --repo}, else {@code $CAIRN_HOME}, else
 * {@code ~/.cairn}), choosing its object format. {@code create}, {@code sync} and {@code get} make
 * one with the defaults when there is none; every other command needs one.
 */
@Command(name = "init", description = "Create the repository (the first create or sync makes one with the defaults, and so does the first"
    + " command given --storage: a get, list, ... of a remote). Running it again on a repository changes nothing.")
final class InitCommand extends Base {
  @Option(names = "--object-format", paramLabel = "FORMAT", defaultValue = "sha256",
      description = "Hash that names every object: sha256 (default; the CPU accelerates it) or blake3. Fixed for the repository's life.")
  String objectFormat;

  @Override
  int run() throws Exception {
    HashAlgorithm format;
    try {
      format = HashAlgorithm.fromConfigName(objectFormat);
    } catch (IllegalArgumentException e) {
      throw badValue("Cannot init: " + e.getMessage());
    }
    Path dir = top.repositoryDirectory().toAbsolutePath().normalize();
    boolean existed = Files.isRegularFile(dir.resolve("config"));
    Repository made = null;
    if (!existed) {
      try {
        made = Repository.create(dir, RepositoryConfig.DEFAULT.withObjectFormat(format));
      } catch (IOException e) {
        if (!Files.isRegularFile(dir.resolve("config"))) {
          throw e;
        }
        existed = true; // another init (or first command) made it meanwhile: as if run after it
      }
    }
    try (Repository r = existed ? Repository.open(dir) : made) {
      HashAlgorithm actual = r.config().objectFormat();
      if (existed && actual != format && !isDefault()) {
        throw new InvalidInputException("Cannot init " + dir + " with object format " + format.configName()
            + ": it is a repository already, whose objects are named by " + actual.configName());
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repository", dir.toString());
        m.put("object_format", actual.configName());
        m.put("created", !existed);
        printJson(m);
      } else {
        out().printf("%s Cairn repository in %s (objects named by %s)%n", existed ? "Existing" : "Created", dir, actual.configName());
      }
    }
    return 0;
  }

  /** Whether --object-format was left at its default (an existing repository's own then stands). */
  private boolean isDefault() {
    return spec.commandLine().getParseResult().matchedOption("--object-format") == null;
  }
}
