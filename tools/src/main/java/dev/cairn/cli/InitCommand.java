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
import java.util.List;
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

  @Option(names = "--default", description = "Also make --storage this repository's default remote (remote.default in its config file,"
      + " as dvc remote add -d does): create and sync reserve their version strings there, close uploads to it, and get, list and"
      + " show look there for a version not here.")
  boolean makeDefault;

  @Override
  int run() throws Exception {
    if (makeDefault && storage == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Cannot init: --default makes the --storage remote the"
          + " default; give --storage URI too");
    }
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
      String uri = null;
      if (storage != null) {
        try (RemoteStorage at = Storages.open(Storages.parse(storage), top.conf)) {
          remoteMade = new Remote(at, r).ensureInitialized();
        }
        uri = uri(storage); // a relative folder made absolute: the config is read from anywhere
      }
      String before = makeDefault ? setDefaultRemote(dir, uri, r.tmpDirectory()) : null;
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repository", dir.toString());
        m.put("object_format", actual.configName());
        m.put("created", !existed);
        if (storage != null) {
          m.put("storage", uri(storage));
          m.put("storage_created", remoteMade);
          m.put("default", makeDefault);
        }
        printJson(m);
      } else {
        out().printf("%s Cairn repository in %s (objects named by %s)%n", existed ? "Existing" : "Created", dir, actual.configName());
        if (storage != null) {
          out().printf("%s Cairn remote at %s%n", remoteMade ? "Created an empty" : "Existing", uri(storage));
        }
        if (makeDefault) {
          out().printf("Default remote: %s%s%n", uri(storage), before == null || before.equals(uri) ? "" : " (it was " + before + ")");
        }
      }
    }
    return 0;
  }

  /**
   * Sets {@code remote.default} in the repository's config file to {@code uri}: its line replaced,
   * or one added, the rest of the file (comments too) as it was; written atomically. Returns the
   * value it had, or null.
   */
  private static String setDefaultRemote(Path dir, String uri, Path tmp) throws IOException {
    Path config = dir.resolve("config");
    String key = dev.cairn.dataset.DatasetRepository.DEFAULT_REMOTE_KEY;
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(config, java.nio.charset.StandardCharsets.UTF_8));
    String before = null;
    boolean set = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0 && line.substring(0, eq).strip().equals(key)) {
        before = line.substring(eq + 1).strip(); // the last one's: the one that was read
        if (set) {
          lines.remove(i--); // a second line of it: the last would win, so only one stays
        } else {
          lines.set(i, key + " = " + uri);
          set = true;
        }
      }
    }
    if (!set) {
      lines.add(key + " = " + uri);
    }
    dev.cairn.internal.fs.AtomicFiles.write(config, (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
        tmp);
    return before;
  }

  /** Whether --object-format was left at its default (an existing repository's own then stands). */
  private boolean isDefault() {
    return spec.commandLine().getParseResult().matchedOption("--object-format") == null;
  }
}
