package dev.cairn.gc;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.testing.TestRepos;
import java.nio.file.Path;

/**
 * A process of {@link GarbageCollectorTest}: adds a folder to a draft, then dies as a SIGKILL would
 * leave it, after the draft's record names the new files and before the store's close writes their
 * pack into the index. Arguments: repository, draft id, folder.
 */
public final class AddThenDieMain {
  public static void main(String[] args) throws Exception {
    DatasetRepository repo = DatasetRepository.open(Path.of(args[0]), TestRepos.SMALL);
    repo.get(args[1]).addFiles(AddOptions.of(Path.of(args[2])));
    System.out.println("added");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
