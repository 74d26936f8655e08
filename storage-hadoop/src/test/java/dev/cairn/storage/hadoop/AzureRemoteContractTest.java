package dev.cairn.storage.hadoop;

import dev.cairn.transport.AbstractRemoteContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dataset-level remote contract on WASB against Azurite. */
class AzureRemoteContractTest extends AbstractRemoteContractTest {
  private static AzuriteServer azure;

  @BeforeAll
  static void startAzurite() throws Exception {
    azure = AzuriteServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "azurite-remote"));
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
  protected String newLocation(String testName) {
    return AzuriteServer.root(AbstractHadoopStorageContractTest.unique(testName));
  }

  @Override
  protected boolean runsCoreLogicTests() {
    return false;
  }
}
