package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.errors.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryConfigFileTest {
  @TempDir Path tmp;

  @Test
  void aConfigThatCannotBeReadIsNamed() throws Exception {
    Path dir = tmp.resolve("repo");
    Repository.create(dir, RepositoryConfig.DEFAULT).close();
    Files.writeString(dir.resolve(Repository.CONFIG), "not a setting\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> Repository.open(dir)).isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("Cannot read " + dir.resolve(Repository.CONFIG) + ": line ").hasMessageEndingWith("is not 'key = value'");
    assertThat(Files.readString(dir.resolve(Repository.CONFIG))).as("left as it was").endsWith("not a setting\n");
  }

  @Test
  void anotherToolsFolderWithAConfigFileIsSaidToBeSo() throws Exception {
    Path restic = tmp.resolve("restic");
    Files.createDirectories(restic.resolve("snapshots"));
    Files.write(restic.resolve("config"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, (byte) 0x80}); // encrypted: not text
    Path git = tmp.resolve("git");
    Files.createDirectories(git.resolve("objects"));
    Files.writeString(git.resolve("config"), "[core]\n\trepositoryformatversion = 0\n\tbare = true\n");
    for (Path dir : new Path[] {restic, git}) {
      assertThatThrownBy(() -> Repository.open(dir)).as(dir.toString()).isInstanceOf(InvalidConfigException.class)
          .hasMessage("Cannot open " + dir + " as a repository: its config file is not Cairn's (the folder of another tool?);"
              + " give a Cairn repository, or a new or empty folder");
    }
  }
}
