package dev.cairn.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM started without the flags Cairn needs is told so when a repository is opened, in words. */
class NioAccessTest {
  @TempDir Path tmp;

  /** Opens (creating) a repository and prints what was thrown, if anything. */
  public static void main(String[] args) {
    try (var repo = dev.cairn.dataset.DatasetRepository.open(Path.of(args[0]))) {
      System.out.println("opened");
    } catch (Throwable t) {
      System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
  }

  @Test
  void aJvmWithoutTheFlagsIsRefusedWithThem() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), NioAccessTest.class.getName(),
        tmp.resolve("repo").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("InvalidConfigException: Cannot use a Cairn repository in this JVM: start it with --add-opens"
        + " java.base/java.nio=ALL-UNNAMED");
    assertThat(Files.exists(tmp.resolve("repo"))).as("nothing made").isFalse();
    // With them, it opens.
    List<String> flags = List.of(NioAccess.FLAGS.split(" "));
    List<String> cmd = new ArrayList<>(List.of(javaBin));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NioAccessTest.class.getName(), tmp.resolve("repo").toString()));
    Process ok = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String opened = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(opened).contains("opened");
  }
}
