package dev.cairn.storage.hadoop;

import dev.cairn.transport.AbstractRemoteContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The dataset-level remote contract for {@code gs://} on {@link FakeGcsFileSystem}. */
class GcsFakeRemoteContractTest extends AbstractRemoteContractTest {
  private static Path bucketRoot;

  @BeforeAll
  static void makeRoot() throws Exception {
    bucketRoot = Files.createTempDirectory("fake-gcs");
  }

  @Override
  protected Map<String, String> conf() {
    return GcsFakeStorageContractTest.gcsConf(bucketRoot);
  }

  @Override
  protected String newLocation(String testName) {
    return "gs://cairn-bucket/" + AbstractHadoopStorageContractTest.unique(testName);
  }

  @Override
  protected boolean runsSharedLocalRepositoryTest() {
    return false;
  }
}
