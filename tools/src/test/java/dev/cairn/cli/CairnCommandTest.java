package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CairnCommandTest {
  private static boolean soon(String... args) {
    return CairnCommand.needsIndexSoon(args);
  }

  @Test
  void lmdbIsLoadedAheadOnlyForCommandsThatReadObjects() {
    assertThat(soon("--repo", "/r", "sync", "--folder", "d", "--name", "n")).isTrue();
    assertThat(soon("list", "--id", "1234abcd")).isTrue();
    assertThat(soon("get", "--id", "1234abcd", "--copy", "out")).isTrue();
    assertThat(soon("get", "--link=out")).isTrue();
    // the cached folder of a version, and the catalog-only commands: no object is read
    assertThat(soon("--repo", "/r", "get", "--project", "p", "--name", "n")).isFalse();
    assertThat(soon("search")).isFalse();
    assertThat(soon("log", "--id", "1234abcd")).isFalse();
    // help and usage errors
    assertThat(soon()).isFalse();
    assertThat(soon("--help")).isFalse();
    assertThat(soon("no-such-command")).isFalse();
  }
}
