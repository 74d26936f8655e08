package dev.cairn.storage.hadoop;

import dev.cairn.transport.AbstractRemoteContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dataset-level remote contract on a MiniDFSCluster. */
class HdfsRemoteContractTest extends AbstractRemoteContractTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    hdfs = MiniHdfs.start("remote");
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Override
  protected String newLocation(String testName) {
    return hdfs.uri() + "/" + AbstractHadoopStorageContractTest.unique(testName);
  }

  @Override
  protected boolean runsCoreLogicTests() {
    return false;
  }
}
