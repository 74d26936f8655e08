package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCleanupTest {
  @TempDir Path tmp;

  /** Registers the folder given, and another that it forgets, then exits as Ctrl-C would make it. */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("step")) {
      exitDuringStep(Path.of(args[1]), Path.of(args[2]));
      return;
    }
    Path kept = Path.of(args[1]);
    ExitCleanup.register(Path.of(args[0]));
    ExitCleanup.register(kept).close();
    System.exit(130);
  }

  /**
   * Publishes the files of {@code folder} one by one into {@code published} in a step, during
   * which the process is told to exit (Ctrl-C): the step notes whether the folder was still whole
   * when it saw the exit, and undoes what it published.
   */
  private static void exitDuringStep(Path folder, Path published) throws Exception {
    ExitCleanup.register(folder);
    try (ExitCleanup.Step step = ExitCleanup.step("publishing")) {
      Files.move(folder.resolve("1"), published.resolve("1"));
      new Thread(() -> System.exit(130)).start();
      while (!ExitCleanup.exiting()) {
        Thread.sleep(10);
      }
      Thread.sleep(300); // time for an exit that did not wait to delete the folder
      Files.writeString(published.resolve("seen"), Files.exists(folder.resolve("2")) ? "whole" : "cut");
      try {
        step.stopIfExiting();
        Files.move(folder.resolve("2"), published.resolve("2"));
      } catch (InterruptedIOException exiting) {
        Files.move(published.resolve("1"), folder.resolve("1")); // undone
      }
    }
    Thread.sleep(60_000); // the exit ends the process
  }

  @Test
  void theExitWaitsForARunningStepWhichUndoesItselfThenDeletesTheFolder() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("copy"));
    Files.writeString(folder.resolve("1"), "one");
    Files.writeString(folder.resolve("2"), "two");
    Path published = Files.createDirectories(tmp.resolve("target"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        ExitCleanupTest.class.getName(), "step", folder.toString(), published.toString()).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(130);
    assertThat(Files.readString(published.resolve("seen"))).isEqualTo("whole");
    try (var left = Files.list(published)) {
      assertThat(left.map(f -> f.getFileName().toString())).containsExactly("seen");
    }
    assertThat(folder).doesNotExist();
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
