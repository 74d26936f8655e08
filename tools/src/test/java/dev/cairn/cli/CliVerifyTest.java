package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify --filesize: presence and sizes only, as clearml-data's verify --filesize. */
class CliVerifyTest {
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("repo"));
  }

  @Test
  void filesizeComparesPresenceAndSizesWithoutReadingContent() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "aaaa");
    Files.writeString(src.resolve("b.txt"), "bbbb");
    String id = (String) cli.ok("create", "--project", "p", "--name", "v", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    assertThat(cli.ok("verify", "--filesize").lastLine()).isEqualTo("Verified: no differences");

    Path copy = tmp.resolve("copy");
    cli.ok("get", "--id", id, "--copy", copy.toString());
    Files.writeString(copy.resolve("a.txt"), "AAAA"); // same size, other bytes
    assertThat(cli.ok("verify", "--folder", copy.toString(), "--filesize").lastLine()).isEqualTo("Verified: no differences");
    assertThat(cli.run("verify", "--folder", copy.toString()).out()).contains("content    a.txt");

    Files.writeString(copy.resolve("b.txt"), "b");
    Cli.Result r = cli.run("verify", "--folder", copy.toString(), "--filesize");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("size       b.txt: 1 byte, expected 4").doesNotContain("a.txt");
    assertThat(cli.ok("verify", "--help").out()).contains("--filesize");
  }
}
