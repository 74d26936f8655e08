package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
  @Test
  void offATerminalALongPhaseSaysHowFarItIsOnALineOfItsOwn() throws Exception {
    StringWriter out = new StringWriter();
    TerminalProgress p = new TerminalProgress(new PrintWriter(out), false, 50);
    p.start("uploading 3 packs", 4L << 20);
    p.advance(1 << 20);
    assertThat(out.toString()).as("not before the interval").isEmpty();
    Thread.sleep(60);
    p.advance(1 << 20);
    p.advance(1 << 20); // within the interval of that line: none more
    p.finish();
    assertThat(out.toString()).isEqualTo("cairn: uploading 3 packs: 2.0 MiB of 4.0 MiB (50%)" + System.lineSeparator());
  }

  @Test
  void aQuietProgressAndAShortPhasePrintNothing() {
    StringWriter out = new StringWriter();
    dev.cairn.dataset.Progress quiet = TerminalProgress.quiet(new PrintWriter(out));
    quiet.start("uploading", 100);
    quiet.advance(100);
    TerminalProgress logged = new TerminalProgress(new PrintWriter(out), false, TerminalProgress.LOG_EVERY_MILLIS);
    logged.start("uploading", 100);
    logged.advance(100);
    logged.finish();
    assertThat(out.toString()).isEmpty();
  }

}
