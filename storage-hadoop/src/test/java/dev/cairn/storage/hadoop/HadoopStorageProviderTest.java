package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageProvider;
import dev.cairn.storage.Storages;
import dev.cairn.storage.local.LocalStorage;
import dev.cairn.storage.wrap.RetryingStorage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopStorageProviderTest {
  @TempDir Path tmp;

  @Test
  void isFoundByServiceLoaderAndClaimsHadoopSchemes() {
    StorageProvider p = ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(HadoopStorageProvider.class::isInstance).findFirst().orElseThrow();
    for (String s : new String[] {"hdfs://nn:8020/x", "s3a://b/x", "wasb://c@a.blob.core.windows.net/x",
        "wasbs://c@a.blob.core.windows.net/x", "abfs://c@a.dfs.core.windows.net/x", "abfss://c@a.dfs.core.windows.net/x",
        "gs://b/x", "webhdfs://nn:9870/x", "viewfs://cluster/x"}) {
      assertThat(p.supports(URI.create(s))).as(s).isTrue();
    }
    assertThat(p.supports(URI.create("http://example/x"))).isFalse();
    URI file = Path.of("/tmp/x").toUri();
    assertThat(p.supports(file, Map.of())).as("file: stays with LocalStorage").isFalse();
    assertThat(p.supports(file, Map.of(HadoopConf.USE_FOR_FILE, "true"))).isTrue();
    assertThat(p.priority()).isLessThan(new LocalStorage.Provider().priority());
  }

  @Test
  void fileUrisStayLocalUnlessAsked() throws Exception {
    URI uri = tmp.resolve("remote").toUri();
    try (RemoteStorage s = Storages.open(uri, Map.of())) {
      assertThat(((RetryingStorage) s).inner()).isInstanceOf(LocalStorage.class);
    }
    try (RemoteStorage s = Storages.open(Storages.parse(tmp.resolve("plain").toString()), Map.of())) {
      assertThat(((RetryingStorage) s).inner()).isInstanceOf(LocalStorage.class);
    }
    try (RemoteStorage s = Storages.open(uri, Map.of(HadoopConf.USE_FOR_FILE, "true"))) {
      assertThat(((RetryingStorage) s).inner()).isInstanceOf(HadoopStorage.class);
      assertThat(((HadoopStorage) ((RetryingStorage) s).inner()).commitStyle()).isEqualTo(CommitStyle.HARD_LINK);
    }
  }

  @Test
  void aSettingTheClientCannotUseIsSaidToBeOneInALine() {
    // Found as the client is built (a number) or at its first call (an endpoint: S3A builds its client lazily).
    Map<String, String> keys = Map.of("fs.s3a.access.key", "a", "fs.s3a.secret.key", "b");
    Map<String, String> notANumber = new java.util.HashMap<>(keys);
    notANumber.put("fs.s3a.connection.maximum", "abc");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (RemoteStorage s = Storages.open(URI.create("s3a://bucket/x"), notANumber)) {
        s.size("cairn-remote");
      }
    }).isInstanceOf(dev.cairn.storage.StorageException.class).hasMessage("Cannot open storage on s3a://bucket/x: a setting that should"
        + " be a number is not (For input string: \"abc\"); check the settings (--conf, core-site.xml and $HADOOP_CONF_DIR)");
    Map<String, String> badEndpoint = new java.util.HashMap<>(keys);
    badEndpoint.put("fs.s3a.endpoint", "::bad::");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (RemoteStorage s = Storages.open(URI.create("s3a://bucket/x"), badEndpoint)) {
        s.size("cairn-remote");
      }
    }).isInstanceOf(dev.cairn.storage.StorageException.class).hasMessageStartingWith("Cannot ")
        .hasMessageContaining(" on s3a://bucket/x: URISyntaxException: ").hasMessageEndingWith("; check the settings (--conf,"
            + " core-site.xml and $HADOOP_CONF_DIR)").hasMessageNotContaining("java.net");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Storages.open(URI.create("s3a://Bad_Bucket/x"), keys).close())
        .isInstanceOf(dev.cairn.storage.StorageException.class).hasMessageStartingWith("Cannot open storage on s3a://Bad_Bucket/x: no"
            + " bucket name S3A can read in the address");
  }

  @Test
  void settingsComeFromHadoopConfDirThenTheMap() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(dir.resolve("core-site.xml"), """
        <configuration>
          <property><name>cairn.test.a</name><value>from-site</value></property>
          <property><name>cairn.test.b</name><value>from-site</value></property>
        </configuration>
        """);
    var conf = HadoopConf.build(Map.of("cairn.test.b", "from-map"), dir.toString());
    assertThat(conf.get("cairn.test.a")).isEqualTo("from-site");
    assertThat(conf.get("cairn.test.b")).isEqualTo("from-map");
    assertThat(conf.getBoolean(HadoopConf.S3A_CONDITIONAL_CREATE, false)).isTrue();
  }

  @Test
  void s3aRetriesLittleUnderCairnsOwnUnlessSettingsSayOtherwise() throws Exception {
    var conf = HadoopConf.build(Map.of(), null);
    assertThat(conf.getInt("fs.s3a.retry.limit", -1)).isEqualTo(1);
    assertThat(conf.getLong("ipc.client.rpc-timeout.ms", -1)).isEqualTo(60_000);
    assertThat(conf.getTimeDuration("fs.s3a.connection.part.upload.timeout", -1, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(300);
    assertThat(conf.getInt("fs.s3a.attempts.maximum", -1)).isEqualTo(2);
    assertThat(conf.getTimeDuration("fs.s3a.connection.timeout", -1, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(60);
    assertThat(conf.getBoolean(HadoopConf.AUTOMATIC_CLOSE, true)).isFalse();
    assertThat(HadoopConf.build(Map.of("fs.s3a.retry.limit", "9"), null).getInt("fs.s3a.retry.limit", -1)).isEqualTo(9);
    assertThat(HadoopConf.build(Map.of("fs.s3a.connection.timeout", "300s"), null)
        .getTimeDuration("fs.s3a.connection.timeout", -1, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(300);
    Path dir = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(dir.resolve("core-site.xml"), """
        <configuration><property><name>fs.s3a.attempts.maximum</name><value>7</value></property></configuration>
        """);
    assertThat(HadoopConf.build(Map.of(), dir.toString()).getInt("fs.s3a.attempts.maximum", -1)).isEqualTo(7);
  }

  /**
   * A store that refuses connections is said to be down after Cairn's retries, not after S3A's
   * inside each of them (a quarter of an hour before). The timeout only keeps a regression from
   * holding the suite; it measures nothing.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anS3EndpointThatRefusesConnectionsFailsWithAStorageError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      // S3A's client alone, under no retries of Cairn's (which add their own bounded 6 attempts).
      try (RemoteStorage s = HadoopStorage.open(URI.create("s3a://bucket/x"), Map.of("fs.s3a.endpoint", "http://127.0.0.1:1",
          "fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK", "fs.s3a.path.style.access", "true"))) {
        s.size("cairn-remote");
      }
    }).isInstanceOf(dev.cairn.storage.StorageException.class)
        .hasMessageContaining("cannot connect: connection refused (is the endpoint, fs.s3a.endpoint, right, and the server up?)");
  }

  @Test
  void anS3EndpointOfAnotherSchemeIsSaidOnceAsWhatItMustBe() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (RemoteStorage s = HadoopStorage.open(URI.create("s3a://bucket/x"), Map.of("fs.s3a.endpoint", "ftp://127.0.0.1:1",
          "fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK"))) {
        s.size("cairn-remote");
      }
    }).isInstanceOf(java.io.IOException.class)
        .hasMessageEndingWith(": fs.s3a.endpoint must be http://HOST:PORT, https://HOST:PORT or a bare host (taken as https)")
        .hasMessageNotContaining("marshall");
  }
}
