package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import dev.cairn.transport.Remote;
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
    + " command given --storage: a get, list, ... of a remote), and with --storage an empty remote. Running it again changes nothing.")
final class InitCommand extends Base {
  @Option(names = "--object-format", paramLabel = "FORMAT", defaultValue = "sha256",
      description = "Hash that names every object: sha256 (default; the CPU accelerates it) or blake3. Fixed for the repository's life.")
  String objectFormat;

  @Option(names = "--storage", paramLabel = "URI", description = "Also make an empty remote there (as the first upload to a location"
      + " does), of the repository's object format; one there already is checked.")
  String storage;

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
    if (!existed && storage != null && isDefault()) {
      // A repository made for an existing remote takes its object format, as other commands' do.
      try (RemoteStorage at = Storages.open(Storages.parse(storage), top.conf)) {
        HashAlgorithm there = Remote.objectFormatOf(at);
        format = there != null ? there : format;
      }
    }
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
      Boolean remoteMade = null;
      if (storage != null) {
        try (RemoteStorage at = Storages.open(Storages.parse(storage), top.conf)) {
          remoteMade = new Remote(at, r).ensureInitialized();
        }
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repository", dir.toString());
        m.put("object_format", actual.configName());
        m.put("created", !existed);
        if (storage != null) {
          m.put("storage", uri(storage));
          m.put("storage_created", remoteMade);
        }
        printJson(m);
      } else {
        out().printf("%s Cairn repository in %s (objects named by %s)%n", existed ? "Existing" : "Created", dir, actual.configName());
        if (storage != null) {
          out().printf("%s Cairn remote at %s%n", remoteMade ? "Created an empty" : "Existing", uri(storage));
        }
      }
    }
    return 0;
  }

  /** Whether --object-format was left at its default (an existing repository's own then stands). */
  private boolean isDefault() {
    return spec.commandLine().getParseResult().matchedOption("--object-format") == null;
  }
}
