package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add --files 'data/a/*.jpg', quoted so that no shell expands it, as clearml-data documents. */
class CliAddPatternTest {
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new Cli(tmp.resolve("repo"));
    for (String f : new String[] {"data/a/x.jpg", "data/a/y.png"}) {
      Files.createDirectories(tmp.resolve(f).getParent());
      Files.writeString(tmp.resolve(f), f);
    }
  }

  @Test
  void aQuotedPatternIsExpanded() {
    cli.ok("create", "--project", "p", "--name", "quoted");
    assertThat(cli.ok("add", "--files", tmp.resolve("data/a/*.jpg").toString()).lastLine()).startsWith("1 file added");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("x.jpg");
    Path none = tmp.resolve("data/a/*.gif");
    assertThat(cli.fails("add", "--files", none.toString()).err()).isEqualTo("cairn: Cannot add '" + none + "': no file matches\n");
    assertThat(cli.ok("add", "--help").out()).contains("'data/a/*.jpg'");
  }
}
