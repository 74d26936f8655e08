package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoragesParseTest {
  @Test
  void clearmlsS3FormIsHadoopsS3a() throws InvalidInputException {
    assertThat(Storages.parse("s3://bucket/data/").toString()).isEqualTo("s3a://bucket/data");
    assertThat(Storages.parse("S3://bucket/x").toString()).isEqualTo("s3a://bucket/x");
    assertThat(Storages.parse("s3a://bucket/x").toString()).isEqualTo("s3a://bucket/x");
  }

  @Test
  void anObjectStoreWithoutItsBucketOrAMalformedUriIsSaidSo() {
    assertThatThrownBy(() -> Storages.parse("s3:/x")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use storage location 's3a:/x': it names no bucket (s3a://BUCKET/path)");
    assertThatThrownBy(() -> Storages.parse("gs:///x")).hasMessage("Cannot use storage location 'gs:///x': it names no bucket (gs://BUCKET/path)");
    assertThatThrownBy(() -> Storages.parse("abfss:/x")).hasMessageContaining("it names no container@account (abfss://CONTAINER@ACCOUNT/path)");
    for (String bucket : new String[] {"s3a://logs.2024/x", "s3a://my-bucket.1/x", "gs://my_bucket/x"}) {
      assertThatCode(() -> Storages.parse(bucket)).as("left to the connector, whose rules these may meet").doesNotThrowAnyException();
    }
    assertThatThrownBy(() -> Storages.parse("hdfs://namenode:notaport/x"))
        .hasMessage("Cannot use storage location 'hdfs://namenode:notaport/x': 'namenode:notaport' is not a host name and port"
            + " (hdfs://HOST:PORT/path)");
    assertThatThrownBy(() -> Storages.parse("webhdfs:///x")).hasMessageEndingWith("it names no host:port (webhdfs://HOST:PORT/path)");
    assertThatThrownBy(() -> Storages.parse("foo://")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use storage location 'foo://': not a valid URI (expected authority at character 7)");
    assertThatCode(() -> Storages.parse("hdfs:///data")).as("the configuration's default name node").doesNotThrowAnyException();
    for (String withPassword : new String[] {"s3a://KEY:SECRETVALUE@bucket/x", "https://me:SECRETVALUE@example.org/a.txt"}) {
      assertThatThrownBy(() -> Storages.parse(withPassword)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("<user:password>@").hasMessageContaining("it holds a password").hasMessageNotContaining("SECRETVALUE");
    }
    assertThatCode(() -> Storages.parse("hdfs://hdfs@namenode:8020/x")).as("a user alone").doesNotThrowAnyException();
  }

  @Test
  void clearmlsAzureFormIsRefusedNamingAbfssForm() {
    assertThatThrownBy(() -> Storages.parse("azure://Account.blob.core.windows.net/container/x")).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("(ADLS Gen2, where it creates files atomically): give abfss://container@account.dfs.core.windows.net/x")
        .hasMessageNotContaining("wasb");
    assertThatThrownBy(() -> Storages.parse("azure://account/container")).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("give abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH");
  }

  @Test
  void everySpellingOfALocalFolderIsOneUri() throws InvalidInputException {
    for (String form : new String[] {"/tmp/rt/remote", "/tmp/rt/remote/", "file:/tmp/rt/remote", "file:///tmp/rt/remote/",
        "file://localhost/tmp/rt/remote", "FILE:/tmp/rt/./remote"}) {
      assertThat(Storages.parse(form).toString()).as(form).isEqualTo("file:///tmp/rt/remote");
    }
    assertThat(Storages.parse("file:///tmp/a%20b").toString()).isEqualTo("file:///tmp/a%20b");
    assertThatThrownBy(() -> Storages.parse("file:relative/x")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a file URI names a folder by its absolute path");
  }

  @Test
  void anUnknownSchemeNamesTheOnesThereAreAndWhatTheyNeed() {
    // core alone: only local folders open; the message says what the other schemes need.
    assertThatThrownBy(() -> Storages.open(URI.create("http://example/x"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot open storage http://example/x: no support for scheme 'http'; a remote is a local or network folder")
        .hasMessageContaining("which need the cairn-storage-hadoop module on the classpath (the cairn command line has it)")
        .hasMessageEndingWith("; wasb:// and wasbs:// are read by that module in a program of one's own, not by the command line");
  }
}
