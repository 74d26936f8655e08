package dev.cairn.storage.hadoop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.azure.storage.CloudStorageAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Azurite's blob service in a child process, reached by WASB in its storage-emulator mode. WASB
 * connects to the emulator only at {@code 127.0.0.1:10000} (the Azure SDK's fixed development
 * endpoint; no setting moves it), so Azurite listens there; tests are skipped, with a message, when
 * Azurite is not installed ({@code bin/test} installs it under {@code .ci/node}) or the port is busy.
 */
final class AzuriteServer implements AutoCloseable {
  static final String CONTAINER = "cairn";
  static final int PORT = 10000;

  private final Process process;

  private AzuriteServer(Process process) {
    this.process = process;
  }

  static AzuriteServer start(Path workDir) throws Exception {
    Path bin = Path.of(System.getProperty("cairn.test.azurite", ".ci/node/node_modules/.bin/azurite-blob"));
    assumeTrue(Files.isExecutable(bin), "Azurite is not installed at " + bin
        + " (bin/test runs: npm install --prefix .ci/node azurite); skipping the wasb:// tests");
    assumeTrue(Servers.portFree(PORT), "port " + PORT + " (WASB's fixed emulator port) is in use; skipping the wasb:// tests");
    Path data = workDir.resolve("data");
    Files.createDirectories(data);
    Path log = workDir.resolve("azurite.log");
    ProcessBuilder pb = new ProcessBuilder(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(PORT),
        "--location", data.toString(), "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    Servers.awaitPort(p, PORT, log, 60_000);
    CloudStorageAccount.getDevelopmentStorageAccount().createCloudBlobClient().getContainerReference(CONTAINER).createIfNotExists();
    return new AzuriteServer(p);
  }

  /** WASB settings: the default emulator account name is {@code storageemulator}. */
  Map<String, String> conf() {
    return Map.of("fs.azure.storage.emulator.account.name", "storageemulator", "fs.azure.io.retry.max.retries", "2");
  }

  static String root(String name) {
    return "wasb://" + CONTAINER + "@storageemulator/" + name;
  }

  @Override
  public void close() {
    Servers.stop(process);
  }
}
