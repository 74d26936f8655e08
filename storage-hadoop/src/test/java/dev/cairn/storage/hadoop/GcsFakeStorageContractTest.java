package dev.cairn.storage.hadoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract for {@code gs://}, on {@link FakeGcsFileSystem} (there is no GCS emulator
 * here): exercises the object-store code path (no rename, conditional create at upload end).
 */
class GcsFakeStorageContractTest extends AbstractHadoopStorageContractTest {
  private static Path bucketRoot;

  @BeforeAll
  static void makeRoot() throws Exception {
    bucketRoot = Files.createTempDirectory("fake-gcs");
  }

  static Map<String, String> gcsConf(Path root) {
    return Map.of("fs.gs.impl", FakeGcsFileSystem.class.getName(), FakeGcsFileSystem.ROOT_KEY, root.toString(),
        "fs.gs.impl.disable.cache", "true");
  }

  @Override
  protected Map<String, String> conf() {
    return gcsConf(bucketRoot);
  }

  @Override
  protected String newRoot() {
    return "gs://cairn-bucket/" + unique("remote");
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.CONDITIONAL_PUT;
  }
}
