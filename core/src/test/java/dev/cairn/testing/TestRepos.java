package dev.cairn.testing;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.internal.pack.PackSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Small repositories and seeded data for tests. */
public final class TestRepos {
  private TestRepos() {}

  /** Small chunks and packs, so that tests exercise many of each with little data. */
  public static final RepositoryConfig SMALL = RepositoryConfig.DEFAULT
      .withChunker(new ChunkerParams(1024, 4096, 16384, 1))
      .withPack(new PackSettings(256 << 10, 16 << 10, 2048, 3));

  public static Repository create(Path dir) throws IOException {
    return Repository.create(dir, SMALL);
  }

  public static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Text-like bytes that compress well. */
  public static byte[] text(long seed, int n) {
    Random r = new Random(seed);
    String[] words = {"alpha", "beta", "gamma", "delta", "label", "image", "0.125", "cat", "dog", "\n", ","};
    StringBuilder sb = new StringBuilder(n + 16);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]).append(' ');
    }
    return sb.substring(0, n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
