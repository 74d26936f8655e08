package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the repository is by default, read in a JVM of its own whose environment the test sets. */
class DefaultDirectoryTest {
  @TempDir Path tmp;

  /** Prints {@link DatasetRepository#defaultDirectory()}. */
  public static final class Print {
    public static void main(String[] args) {
      System.out.print(DatasetRepository.defaultDirectory());
    }
  }

  private String defaultDirectory(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Print.class.getName()));
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
    assertThat(defaultDirectory(Map.of("CAIRN_HOME", tmp.resolve("repo").toString(), "HOME", tmp.toString())))
        .isEqualTo(tmp.resolve("repo").toString());
    // $HOME, not the password database's home (which a container or CI job setting HOME leaves as it was).
    assertThat(defaultDirectory(Map.of("HOME", tmp.toString()))).isEqualTo(tmp.resolve(".cairn").toString());
    assertThat(defaultDirectory(Map.of("CAIRN_HOME", " ", "HOME", tmp.toString()))).isEqualTo(tmp.resolve(".cairn").toString());
    // No HOME, or one that is not a path: the JDK's user.home.
    String passwd = Path.of(System.getProperty("user.home"), ".cairn").toString();
    assertThat(defaultDirectory(Map.of())).isEqualTo(passwd);
    assertThat(defaultDirectory(Map.of("HOME", "relative/home"))).isEqualTo(passwd);
  }
}
