package dev.cairn.store;

import dev.cairn.Repository;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;

/**
 * A writer process for {@link MultiProcessTest}: stores seeded objects and files in rounds, each
 * round flushed, and prints the ids it stored.
 */
public final class ConcurrentWriterMain {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int writer = Integer.parseInt(args[1]);
    try (Repository repo = Repository.openOrCreate(dir, TestRepos.SMALL)) {
      // Enough rounds that the small packs' registrations merge, in both processes, many times.
      for (int round = 0; round < 40; round++) {
        try (ObjectInserter ins = repo.objects().newInserter()) {
          for (int i = 0; i < 50; i++) {
            // Seeds overlap between writers, so they race to store the same objects.
            int seed = round * 1000 + i + (i % 2 == 0 ? 0 : writer * 100_000);
            ObjectId id = ins.insert(ObjectType.CHUNK, TestRepos.random(seed, 100 + seed % 3000));
            System.out.println("chunk " + seed + " " + id.hex());
          }
          FileContent f = ins.insertFile(new ByteArrayInputStream(TestRepos.random(round, 200_000)));
          System.out.println("file " + round + " " + f.content().hex());
          ins.flush();
        }
      }
    }
  }
}
