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
}
