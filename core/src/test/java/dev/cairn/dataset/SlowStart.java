package dev.cairn.dataset;

import java.util.concurrent.CountDownLatch;

/** A progress whose first phase starts, says so, then holds its thread: an operation caught mid-way. */
final class SlowStart implements Progress {
  final CountDownLatch started = new CountDownLatch(1);
  private final long holdMillis;

  SlowStart(long holdMillis) {
    this.holdMillis = holdMillis;
  }

  @Override
  public void start(String task, long totalBytes) {
    started.countDown();
    try {
      Thread.sleep(holdMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
