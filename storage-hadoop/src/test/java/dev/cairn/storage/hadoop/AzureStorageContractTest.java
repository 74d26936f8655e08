package dev.cairn.storage.hadoop;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on WASB against Azurite. */
class AzureStorageContractTest extends AbstractHadoopStorageContractTest {
  private static AzuriteServer azure;

  @BeforeAll
  static void startAzurite() throws Exception {
    azure = AzuriteServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "azurite-storage"));
  }

  @AfterAll
  static void stopAzurite() throws Exception {
    if (azure != null) {
      azure.close();
    }
  }

  @Override
  protected Map<String, String> conf() {
    return azure.conf();
  }

  @Override
  protected String newRoot() {
    return AzuriteServer.root(unique("remote"));
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.LEASE;
  }
}
