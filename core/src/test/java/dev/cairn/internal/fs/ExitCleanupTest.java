package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCleanupTest {
  @TempDir Path tmp;

  /** Registers the folder given, and another that it forgets, then exits as Ctrl-C would make it. */
  public static void main(String[] args) throws Exception {
    Path kept = Path.of(args[1]);
    ExitCleanup.register(Path.of(args[0]));
    ExitCleanup.register(kept).close();
    System.exit(130);
  }

  @Test
  void aRegisteredFolderIsDeletedWhenTheProcessExitsAndAForgottenOneIsKept() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging/sub"));
    Files.writeString(staging.resolve("pack.tmp"), "half written");
    Path published = Files.createDirectories(tmp.resolve("published"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        ExitCleanupTest.class.getName(), tmp.resolve("staging").toString(), published.toString()).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(130);
    assertThat(tmp.resolve("staging")).doesNotExist();
    assertThat(published).isDirectory();
  }
}
