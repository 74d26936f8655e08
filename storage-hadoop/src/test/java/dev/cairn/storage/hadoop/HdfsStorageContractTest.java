package dev.cairn.storage.hadoop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on a MiniDFSCluster. */
class HdfsStorageContractTest extends AbstractHadoopStorageContractTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    hdfs = MiniHdfs.start("storage");
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Override
  protected String newRoot() {
    return hdfs.uri() + "/" + unique("remote");
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.RENAME;
  }
}
