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
  void aWrongKeyANonexistentBucketAndAWrongPortAreSaidWithTheSettingToCheck() throws Exception {
    Map<String, String> badKey = new HashMap<>(s3.conf());
    badKey.put("fs.s3a.secret.key", "not-the-secret");
    assertThatThrownBy(() -> {
      try (HadoopStorage st = HadoopStorage.open(URI.create(newRoot()), badKey)) {
        st.size("cairn-remote");
      }
    }).isInstanceOf(StorageException.class).hasMessageEndingWith(": access denied (HTTP 403): check the credentials (fs.s3a.access.key"
        + " and fs.s3a.secret.key, or fs.s3a.aws.credentials.provider) and the bucket's policy");
    assertThatThrownBy(() -> {
      try (HadoopStorage st = HadoopStorage.open(URI.create("s3a://no-such-bucket-here/x"), s3.conf())) {
        st.size("cairn-remote");
      }
    }).isInstanceOf(StorageException.class).hasMessageEndingWith(": no such bucket (check the bucket in the address, and fs.s3a.endpoint)");
    Map<String, String> badPort = new HashMap<>(s3.conf());
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    badPort.put("fs.s3a.endpoint", "http://127.0.0.1:" + closed);
    assertThatThrownBy(() -> {
      try (HadoopStorage st = HadoopStorage.open(URI.create(newRoot()), badPort)) {
        st.size("cairn-remote");
      }
    }).isInstanceOf(StorageException.class).hasMessageEndingWith(": cannot connect: connection refused (is the endpoint, fs.s3a.endpoint,"
        + " right, and the server up?)");
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
