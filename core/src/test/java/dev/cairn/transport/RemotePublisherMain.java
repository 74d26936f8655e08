package dev.cairn.transport;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process of {@link AbstractRemoteContractTest#concurrentPublishersLoseNothing}: creates a version
 * of one shared dataset against a remote, adds a file, closes and uploads it, and prints its id.
 * Arguments: local repository, storage, writer number, then {@code key=value} settings.
 */
public final class RemotePublisherMain {
  public static void main(String[] args) throws Exception {
    Path local = Path.of(args[0]);
    String storage = args[1];
    int writer = Integer.parseInt(args[2]);
    Map<String, String> conf = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      conf.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    try (DatasetRepository repo = DatasetRepository.open(local, TestRepos.SMALL)) {
      repo.setStorageConf(conf);
      Path src = local.resolveSibling("src-" + local.getFileName() + "-" + writer);
      Files.createDirectories(src);
      Files.write(src.resolve("writer-" + writer + ".bin"), TestRepos.random(writer, 20_000));
      Dataset ds = Dataset.create(repo, CreateOptions.of("shared", "dataset").storage(storage).build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      ds.upload(storage, null, Progress.NONE);
      System.out.println(ds.id() + " " + ds.version());
    }
  }
}
