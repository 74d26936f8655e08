package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.storage.StorageException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.ipc.RemoteException;
import org.junit.jupiter.api.Test;

class HadoopErrorsTest {
  private static final URI ROOT = URI.create("s3a://bucket/remote");

  private static StorageException t(IOException e) {
    return HadoopErrors.translate("read packs/p.pack", ROOT, e);
  }

  @Test
  void classifiesTransientAndPermanentFailures() {
    assertThat(t(new SocketTimeoutException("read timed out")).isTransient()).isTrue();
    assertThat(t(new ConnectException("refused")).isTransient()).isTrue();
    assertThat(t(new EOFException("premature end")).isTransient()).isTrue();
    assertThat(t(new IOException("wrapped", new SocketTimeoutException())).isTransient()).isTrue();
    assertThat(t(new RemoteException("org.apache.hadoop.hdfs.server.namenode.SafeModeException", "safe mode")).isTransient()).isTrue();
    var s3500 = software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(500).message("internal").build();
    assertThat(t(new org.apache.hadoop.fs.s3a.AWSStatus500Exception("get", s3500)).isTransient()).isTrue();
    var s3403 = software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(400).message("bad").build();
    assertThat(t(new org.apache.hadoop.fs.s3a.AWSBadRequestException("get", s3403)).isTransient()).isFalse();
    assertThat(t(new FileNotFoundException("gone")).isTransient()).isFalse();
    assertThat(t(new AccessDeniedException("s3a://bucket/x")).isTransient()).isFalse();
    assertThat(t(new org.apache.hadoop.security.AccessControlException("Permission denied")).isTransient()).isFalse();
    assertThat(t(new RemoteException("org.apache.hadoop.security.AccessControlException", "denied")).isTransient()).isFalse();
    assertThat(t(new InterruptedIOException("interrupted")).isTransient()).isFalse();
  }

  @Test
  void messagesNameTheActionAndNeverCarryCredentials() {
    IOException leaky = new IOException("GET https://acct.blob.core.windows.net/c/x?sv=2020&sig=SECRETSIG&se=1 failed; "
        + "AccountKey=SECRETKEY; s3a://AKIA:SECRETPW@bucket/x", new IOException("token=SECRETTOKEN"));
    StorageException e = t(leaky);
    assertThat(e.getMessage()).startsWith("Cannot read packs/p.pack on s3a://bucket/remote: ");
    StringBuilder all = new StringBuilder(e.getMessage());
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      all.append(' ').append(c.getMessage()).append(' ').append(c);
    }
    assertThat(all.toString()).doesNotContain("SECRETSIG", "SECRETKEY", "SECRETPW", "SECRETTOKEN").contains("<redacted>");
    assertThat(HadoopErrors.redactUri(URI.create("s3a://id:pw@bucket/x"))).isEqualTo("s3a://<redacted>@bucket/x");
  }

  @Test
  void aJavaClassInsideAMessageIsNamedSimplyAndMissingS3CredentialsSayWhatToSet() {
    IOException none = new AccessDeniedException("s3a://bucket/remote/cairn-remote: org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException:"
        + " No AWS Credentials provided by SimpleAWSCredentialsProvider");
    assertThat(t(none).getMessage()).isEqualTo("Cannot read packs/p.pack on s3a://bucket/remote: no AWS credentials found: give"
        + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --conf fs.s3a.access.key=... --conf fs.s3a.secret.key=..."
        + " (or fs.s3a.aws.credentials.provider)");
    assertThat(t(new IOException("java.net.UnknownHostException: nohost")).getMessage()).endsWith(": UnknownHostException: nohost (IOException)");
  }

  @Test
  void aLocalFileRefusedForAnotherCauseThanAbsenceIsNotCalledMissing() {
    // Java's file streams (Hadoop's local file system) throw FileNotFoundException for every refused open.
    StorageException denied = t(new FileNotFoundException("/r/.tmp/0b1c.tmp (Permission denied)"));
    assertThat(denied.getMessage()).isEqualTo("Cannot read packs/p.pack on s3a://bucket/remote: permission denied");
    assertThat(denied.isTransient()).isFalse();
    assertThat(HadoopErrors.isNotFound(new FileNotFoundException("/r/x (Permission denied)"))).isFalse();
    assertThat(t(new FileNotFoundException("/r/.tmp/0b1c.tmp (Read-only file system)")).getMessage())
        .endsWith(": the file system is read-only");
    assertThat(t(new IOException("wrapped", new FileNotFoundException("/r/packs (Is a directory)"))).getMessage())
        .endsWith(": a folder is in the way");
    assertThat(HadoopErrors.isNotFound(new FileNotFoundException("/r/packs/p.pack (No such file or directory)"))).isTrue();
  }

  @Test
  void aLocalFileSystemErrorIsTheIoErrorItCarries() throws Exception {
    var make = org.apache.hadoop.fs.FSError.class.getDeclaredConstructor(Throwable.class);
    make.setAccessible(true);
    IOException full = new IOException("No space left on device");
    assertThat(HadoopErrors.unwrap(make.newInstance(full))).isSameAs(full);
    assertThat(HadoopErrors.unwrap(make.newInstance(new IllegalStateException("odd")))).isInstanceOf(IOException.class)
        .hasMessageContaining("odd");
  }

  @Test
  void aServerThatDoesNotAnswerIsSaidSoInOneShortLine() {
    // As HDFS's client says it: both socket addresses, and a wiki link at the end.
    SocketTimeoutException timeout = new SocketTimeoutException("60000 millis timeout while waiting for channel to be ready for read. ch :"
        + " java.nio.channels.SocketChannel[connected local=/127.0.0.1:51234 remote=localhost/127.0.0.1:39179]");
    IOException wrapped = new IOException("Call From vm/127.0.0.1 to localhost:39179 failed on socket timeout exception: " + timeout
        + "; For more details see:  http://wiki.apache.org/hadoop/SocketTimeout", timeout);
    StorageException e = HadoopErrors.translate("look for cairn-remote", URI.create("hdfs://localhost:39179/cairn"), wrapped);
    assertThat(e.getMessage()).isEqualTo("Cannot look for cairn-remote on hdfs://localhost:39179/cairn: the server did not answer within 60 s:"
        + " it accepts connections but does not answer (stalled, or overloaded?)");
    assertThat(e.isTransient()).isTrue();
  }

  @Test
  void anUnknownHostIsNamedOnceWithoutTheSdksAdvice() {
    // As S3A says it: its UnknownHostException repeats the SDK's paragraph, whose cause names the host.
    String sdk = "Received an UnknownHostException when attempting to interact with a service. See cause for the exact endpoint that"
        + " is failing to resolve.";
    java.net.UnknownHostException resolver = new java.net.UnknownHostException("bucket.nosuchhost.invalid");
    IOException sdkException = new IOException(sdk, resolver);
    java.net.UnknownHostException s3a = new java.net.UnknownHostException("getFileStatus on s3a://bucket/cairn/cairn-remote:"
        + " software.amazon.awssdk.core.exception.SdkClientException: " + sdk + ": " + sdk + ": bucket.nosuchhost.invalid");
    s3a.initCause(sdkException);
    StorageException e = HadoopErrors.translate("look for cairn-remote", URI.create("s3a://bucket/cairn"), s3a);
    assertThat(e.getMessage()).isEqualTo("Cannot look for cairn-remote on s3a://bucket/cairn: unknown host bucket.nosuchhost.invalid"
        + " (check fs.s3a.endpoint)");
    // The JDK's own wording of a name it cannot resolve.
    StorageException jdk = HadoopErrors.translate("look for cairn-remote", URI.create("hdfs://nosuch:8020/cairn"),
        new java.net.UnknownHostException("nosuch: Name or service not known"));
    assertThat(jdk.getMessage()).isEqualTo("Cannot look for cairn-remote on hdfs://nosuch:8020/cairn: unknown host nosuch");
    // The GCS connector without credentials settings asks the metadata server of a Google Cloud machine.
    StorageException gcs = HadoopErrors.translate("look for cairn-remote", URI.create("gs://bucket/cairn"),
        new IOException("Error getting access token", new java.net.UnknownHostException("metadata.google.internal")));
    assertThat(gcs.getMessage()).startsWith("Cannot look for cairn-remote on gs://bucket/cairn: no GCS credentials given")
        .contains("--conf fs.gs.auth.type=SERVICE_ACCOUNT_JSON_KEYFILE --conf fs.gs.auth.service.account.json.keyfile=KEY.json");
  }

  @Test
  void anEndpointWithoutItsSchemeIsSaidToMeanHttps() {
    // As S3A says it when fs.s3a.endpoint=127.0.0.1:PORT names a plain-HTTP store: the SDK's text, twice.
    javax.net.ssl.SSLException ssl = new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message");
    IOException wrapped = new IOException("getFileStatus on s3a://bucket/cairn/cairn-remote: SdkClientException: Unable to execute HTTP"
        + " request: Unsupported or unrecognized SSL message: Unsupported or unrecognized SSL message", ssl);
    StorageException e = HadoopErrors.translate("look for cairn-remote", URI.create("s3a://bucket/cairn"), wrapped);
    assertThat(e.getMessage()).isEqualTo("Cannot look for cairn-remote on s3a://bucket/cairn: the server does not speak TLS (HTTPS) where"
        + " TLS was asked for: an fs.s3a.endpoint without a scheme means https; give http://HOST:PORT for a plain-HTTP store (or set"
        + " fs.s3a.connection.ssl.enabled=false)");
    assertThat(e.isTransient()).as("the same answer every time: not retried").isFalse();
  }

  @Test
  void aLongMessageIsCutBetweenWords() {
    String words = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain ".repeat(6);
    String message = t(new IOException(words)).getMessage();
    String reason = message.substring(message.indexOf(": ") + 2);
    assertThat(reason).endsWith(" ... (IOException)");
    String kept = reason.substring(0, reason.length() - " ... (IOException)".length());
    assertThat(words).startsWith(kept + " ");
    assertThat(kept.length()).isBetween(200, 300);
  }

  @Test
  void notFoundSaysSo() {
    StorageException e = t(new FileNotFoundException("No such file or directory: s3a://bucket/remote/packs/p.pack"));
    assertThat(e.getMessage()).isEqualTo("Cannot read packs/p.pack on s3a://bucket/remote: no such file on the remote");
  }
}
