package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {
  @TempDir Path tmp;

  @Test
  void theTestsRunWithTheFastPath() {
    // The build opens java.base/sun.nio.fs to the tests, as bin/cairn does to the command line;
    // without it the comparisons below would compare the view with itself.
    assertThat(FileStat.fast()).isTrue();
  }

  @Test
  void readingTheJdksFieldsGivesWhatTheUnixViewGives() throws Exception {
    Path file = Files.write(tmp.resolve("plain.txt"), new byte[1234]);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-02-29T12:34:56.123456789Z")));
    Path script = Files.write(tmp.resolve("run.sh"), "#!/bin/sh\n".getBytes());
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    Path wholeSecond = Files.write(tmp.resolve("whole"), new byte[1]);
    Files.setLastModifiedTime(wholeSecond, FileTime.from(Instant.parse("1999-12-31T23:59:59Z")));
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
    for (Path p : new Path[] {file, script, wholeSecond, dir, link, dangling}) {
      assertThat(FileStat.of(p, LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(FileStat.viaView(p, LinkOption.NOFOLLOW_LINKS));
    }
    for (Path p : new Path[] {file, script, dir, link}) {
      assertThat(FileStat.of(p)).as(p.toString()).isEqualTo(FileStat.viaView(p));
    }

    FileStat f = FileStat.of(file);
    assertThat(f.regularFile()).isTrue();
    assertThat(f.size()).isEqualTo(1234);
    assertThat(f.mtimeNanos()).isEqualTo(Instant.parse("2024-02-29T12:34:56.123456789Z").getEpochSecond() * 1_000_000_000L + 123_456_789);
    assertThat(f.inode()).isPositive();
    assertThat(f.executable()).isFalse();
    assertThat(FileStat.of(script).executable()).isTrue();
    assertThat(FileStat.of(dir).directory()).isTrue();
    assertThat(FileStat.of(link, LinkOption.NOFOLLOW_LINKS).symbolicLink()).isTrue();
    assertThat(FileStat.of(link).regularFile()).isTrue();
    assertThat(FileStat.of(link).inode()).isEqualTo(f.inode());
  }

  @Test
  void aMissingPathIsNoSuchFile() {
    assertThatThrownBy(() -> FileStat.of(tmp.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> FileStat.of(tmp.resolve("dangling-target"), LinkOption.NOFOLLOW_LINKS)).isInstanceOf(NoSuchFileException.class);
  }
}
