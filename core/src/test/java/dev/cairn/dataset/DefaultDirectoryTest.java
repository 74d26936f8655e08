package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the repository is by default, read in a JVM of its own whose environment and {@code
 * user.home} (the password database's home, as the JDK reads it) the test sets.
 */
class DefaultDirectoryTest {
  @TempDir Path tmp;

  /** Prints {@link DatasetRepository#defaultDirectory()}. */
  public static final class Print {
    public static void main(String[] args) {
      System.out.print(DatasetRepository.defaultDirectory());
    }
  }

  private String defaultDirectory(Path userHome, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.home=" + userHome, "-cp", System.getProperty("java.class.path"), Print.class.getName()));
    pb.environment().remove("CAIRN_HOME");
    pb.environment().remove("HOME");
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void itIsCairnHomeElseDotCairnInHomeAsTheShellHasIt() throws Exception {
    Path passwd = Files.createDirectories(tmp.resolve("passwd-home"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    assertThat(defaultDirectory(passwd, Map.of("CAIRN_HOME", tmp.resolve("repo").toString(), "HOME", home.toString())))
        .isEqualTo(tmp.resolve("repo").toString());
    // $HOME, not the password database's home (which a container or CI job setting HOME leaves as it was).
    assertThat(defaultDirectory(passwd, Map.of("HOME", home.toString()))).isEqualTo(home.resolve(".cairn").toString());
    assertThat(defaultDirectory(passwd, Map.of("CAIRN_HOME", " ", "HOME", home.toString()))).isEqualTo(home.resolve(".cairn").toString());
    // No HOME, or an empty one: user.home; a relative one is from the current folder, as the shell's ~ is.
    assertThat(defaultDirectory(passwd, Map.of())).isEqualTo(passwd.resolve(".cairn").toString());
    assertThat(defaultDirectory(passwd, Map.of("HOME", ""))).isEqualTo(passwd.resolve(".cairn").toString());
    assertThat(defaultDirectory(passwd, Map.of("HOME", "relative/home")))
        .isEqualTo(Path.of("").toAbsolutePath().resolve("relative/home/.cairn").toString());
    // A repository an older release made under user.home is still found while $HOME holds none.
    Files.createDirectories(passwd.resolve(".cairn/refs"));
    assertThat(defaultDirectory(passwd, Map.of("HOME", home.toString()))).isEqualTo(passwd.resolve(".cairn").toString());
    Files.createDirectories(home.resolve(".cairn"));
    assertThat(defaultDirectory(passwd, Map.of("HOME", home.toString()))).isEqualTo(home.resolve(".cairn").toString());
  }
}
