package dev.cairn.storage.hadoop;

import dev.cairn.transport.AbstractRemoteContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dataset-level remote contract on S3A against S3Proxy. */
class S3RemoteContractTest extends AbstractRemoteContractTest {
  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "s3proxy-remote"));
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected Map<String, String> conf() {
    return s3.conf();
  }

  @Override
  protected String newLocation(String testName) {
    return "s3a://" + S3ProxyServer.BUCKET + "/" + AbstractHadoopStorageContractTest.unique(testName);
  }

  @Override
  protected boolean runsSharedLocalRepositoryTest() {
    return false;
  }
}
