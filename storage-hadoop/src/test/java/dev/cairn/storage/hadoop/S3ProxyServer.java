package dev.cairn.storage.hadoop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy 4.x (in-memory store, AWS v2/v4 signatures, conditional writes) in its own JVM on a free
 * loopback port, with one bucket. Its libraries clash with S3A's AWS SDK, so it never runs
 * in-process.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String BUCKET = "cairn";
  private static final String IDENTITY = "cairn-test";
  private static final String CREDENTIAL = "cairn-test-secret";

  private final Process process;
  private final int port;

  private S3ProxyServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static S3ProxyServer start(Path workDir) throws Exception {
    Path jar = Path.of(System.getProperty("cairn.test.s3proxy.jar", "target/servers/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("S3Proxy jar missing at " + jar + " (maven-dependency-plugin copies it in generate-test-resources)");
    }
    int port = Servers.freePort();
    Files.createDirectories(workDir);
    Path props = workDir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + IDENTITY,
        "s3proxy.credential=" + CREDENTIAL,
        "jclouds.provider=transient",
        "jclouds.identity=" + IDENTITY,
        "jclouds.credential=" + CREDENTIAL,
        ""));
    Path log = workDir.resolve("s3proxy.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", jar.toString(), "--properties", props.toString());
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    Servers.awaitPort(p, port, log, 60_000);
    S3ProxyServer server = new S3ProxyServer(p, port);
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
        .build()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    return server;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** S3A settings for this server; retries kept short so that faults fail fast. */
  Map<String, String> conf() {
    return Map.ofEntries(
        Map.entry("fs.s3a.endpoint", endpoint()),
        Map.entry("fs.s3a.endpoint.region", "us-east-1"),
        Map.entry("fs.s3a.path.style.access", "true"),
        Map.entry("fs.s3a.connection.ssl.enabled", "false"),
        Map.entry("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"),
        Map.entry("fs.s3a.access.key", IDENTITY),
        Map.entry("fs.s3a.secret.key", CREDENTIAL),
        Map.entry("fs.s3a.retry.limit", "1"),
        Map.entry("fs.s3a.retry.throttle.limit", "1"),
        Map.entry("fs.s3a.attempts.maximum", "1"));
  }

  @Override
  public void close() {
    Servers.stop(process);
  }
}
