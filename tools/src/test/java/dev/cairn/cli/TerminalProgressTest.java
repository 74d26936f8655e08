package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
  @Test
  void offATerminalALongPhaseSaysHowFarItIsOnALineOfItsOwn() {
    StringWriter out = new StringWriter();
    AtomicLong now = new AtomicLong(1_000);
    TerminalProgress p = new TerminalProgress(new PrintWriter(out), false, 50, now::get);
    p.start("uploading 3 packs", 4L << 20);
    now.addAndGet(49);
    p.advance(1 << 20);
    assertThat(out.toString()).as("not before the interval").isEmpty();
    now.addAndGet(1);
    p.advance(1 << 20);
    now.addAndGet(49);
    p.advance(1 << 20); // within the interval of that line: none more
    p.finish();
    now.addAndGet(100);
    p.advance(1 << 20); // after the phase: of none
    assertThat(out.toString()).isEqualTo("cairn: uploading 3 packs: 2.0 MiB of 4.0 MiB (50%)" + System.lineSeparator());
  }

  @Test
  void aQuietProgressAndAShortPhasePrintNothing() {
    StringWriter out = new StringWriter();
    dev.cairn.dataset.Progress quiet = TerminalProgress.quiet(new PrintWriter(out));
    quiet.start("uploading", 100);
    quiet.advance(100);
    AtomicLong now = new AtomicLong();
    TerminalProgress logged = new TerminalProgress(new PrintWriter(out), false, TerminalProgress.LOG_EVERY_MILLIS, now::get);
    logged.start("uploading", 100);
    now.addAndGet(TerminalProgress.LOG_EVERY_MILLIS - 1);
    logged.advance(100);
    logged.finish();
    now.addAndGet(TerminalProgress.LOG_EVERY_MILLIS * 5);
    logged.advance(10); // counted outside any phase
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void phasesEachShorterThanTheIntervalDoNotKeepALongCommandSilent() {
    StringWriter out = new StringWriter();
    AtomicLong now = new AtomicLong();
    TerminalProgress p = new TerminalProgress(new PrintWriter(out), false, 30, now::get);
    p.start("downloading 2 packs", 100);
    now.addAndGet(20);
    p.advance(100);
    p.finish();
    p.start("writing 300000 files", 1000);
    now.addAndGet(10);
    p.advance(250);
    now.addAndGet(20);
    p.advance(250);
    assertThat(out.toString()).isEqualTo("cairn: writing 300000 files: 250 B of 1000 B (25%)" + System.lineSeparator());
  }
}
