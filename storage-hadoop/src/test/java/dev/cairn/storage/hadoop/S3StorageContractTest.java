package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.StorageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract on S3A against S3Proxy (conditional writes with If-None-Match). */
class S3StorageContractTest extends AbstractHadoopStorageContractTest {
  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "s3proxy-storage"));
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
  protected String newRoot() {
    return "s3a://" + S3ProxyServer.BUCKET + "/" + unique("remote");
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.CONDITIONAL_PUT;
  }

  @Test
  void refusesAnS3ClientWithoutConditionalCreate() {
    Map<String, String> c = new HashMap<>(s3.conf());
    c.put(HadoopConf.S3A_CONDITIONAL_CREATE, "false");
    assertThatThrownBy(() -> HadoopStorage.open(URI.create(newRoot()), c))
        .isInstanceOfSatisfying(StorageException.class, e -> org.assertj.core.api.Assertions.assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("only if absent")
        .hasMessageNotContaining("cairn-test-secret");
  }
}
