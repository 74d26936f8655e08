package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LibraryLogsTest {
  private final Level rootBefore = Logger.getLogger("").getLevel();
  private final Level cairnBefore = Logger.getLogger("dev.cairn").getLevel();

  @AfterEach
  void restore() {
    Logger.getLogger("").setLevel(rootBefore);
    Logger.getLogger("dev.cairn").setLevel(cairnBefore);
  }

  @Test
  void librariesLogOnlySevereWhileCairnsWarningsStillPass() {
    Logger gcs = Logger.getLogger("com.google.cloud.hadoop.util.RetryHttpInitializer");
    assertThat(gcs.isLoggable(Level.INFO)).as("the JDK's default").isTrue();
    Main.quietLibraryLogs(new String[] {"--debug", "search"});
    assertThat(gcs.isLoggable(Level.INFO)).as("with --debug").isTrue();
    Main.quietLibraryLogs(new String[] {"search", "--storage", "gs://b/x"});
    assertThat(gcs.isLoggable(Level.INFO)).isFalse();
    assertThat(gcs.isLoggable(Level.WARNING)).isFalse();
    assertThat(gcs.isLoggable(Level.SEVERE)).isTrue();
    assertThat(Logger.getLogger("dev.cairn.index.Whatever").isLoggable(Level.WARNING)).isTrue();
  }
}
