package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class WritebackTest {
  @TempDir Path dir;

  @Test
  @EnabledOnOs(OS.LINUX)
  void theKernelAcceptsTheHintForAFileJustWritten() throws IOException {
    assertThat(Writeback.available()).isTrue();
    Path f = dir.resolve("written");
    Files.write(f, new byte[(int) Writeback.MIN_SIZE * 4]);
    assertThat(Writeback.start(f)).isTrue();
    assertThat(Writeback.start(dir.resolve("missing"))).isFalse();
  }

  @Test
  void hintsLeaveTheFilesAsWrittenAndNoDescriptorOpen() throws IOException {
    long before = openDescriptors();
    byte[][] contents = new byte[40][];
    Random random = new Random(7);
    try (Writeback writeback = new Writeback(4)) {
      for (int i = 0; i < contents.length; i++) {
        contents[i] = new byte[i % 2 == 0 ? (int) Writeback.MIN_SIZE + i : 100 + i];
        random.nextBytes(contents[i]);
        Path f = dir.resolve("f" + i);
        Files.write(f, contents[i]);
        writeback.submit(f, contents[i].length);
      }
      writeback.submit(dir.resolve("deleted before its hint"), Writeback.MIN_SIZE);
      writeback.finish();
    }
    for (int i = 0; i < contents.length; i++) {
      assertThat(Files.readAllBytes(dir.resolve("f" + i))).isEqualTo(contents[i]);
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  /** This process's open file descriptors, where /proc shows them; else 0. */
  private static long openDescriptors() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(fds)) {
      return s.count();
    }
  }
}
