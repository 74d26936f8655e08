package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.storage.RemoteFile;
import dev.cairn.transport.HeldRemoteLockMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process stopped by a signal (Ctrl-C, kill) deletes the locks it holds on an S3 remote as it
 * exits, though Hadoop closes its file systems in a shutdown hook of its own (S3Proxy, in a JVM of
 * its own).
 */
class S3LockOnExitTest {
  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "s3proxy-lock-on-exit"));
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aStoppedProcessDeletesItsLockOnTheRemote() throws Exception {
    String uri = "s3a://" + S3ProxyServer.BUCKET + "/" + AbstractHadoopStorageContractTest.unique("lock-on-exit");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeldRemoteLockMain.class.getName(), uri));
    s3.conf().forEach((k, v) -> cmd.add(k + "=" + v));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (HadoopStorage storage = HadoopStorage.open(URI.create(uri), s3.conf())) {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      // Read on a thread of its own: a child that hangs before it holds the lock fails the test, not the build.
      java.util.concurrent.CompletableFuture<String> held = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          String line;
          while ((line = out.readLine()) != null && !line.startsWith("held ")) {
            seen.append(line).append('\n');
          }
          return line;
        } catch (java.io.IOException e) {
          return null;
        }
      });
      String line = held.get(120, TimeUnit.SECONDS);
      assertThat(line).as(seen.toString()).isNotNull();
      String lock = line.substring("held ".length());
      assertThat(storage.list("locks/")).extracting(RemoteFile::name).containsExactly(lock);
      p.destroy(); // SIGTERM: the shutdown hooks run, as at Ctrl-C
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(storage.list("locks/")).as("locks left on the remote").isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }
}
