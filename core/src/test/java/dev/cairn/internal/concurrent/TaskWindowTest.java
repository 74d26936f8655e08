package dev.cairn.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskWindowTest {
  private final ExecutorService pool = Workers.pool("test", 4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void runsEveryTaskWithNoMoreThanTheWindowUnfinished() throws Exception {
    TaskWindow tasks = new TaskWindow(pool, 6, "testing");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 2000; i++) {
      tasks.submit(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.onSpinWait();
        running.decrementAndGet();
        done.incrementAndGet();
      });
    }
    tasks.finish();
    assertThat(done).hasValue(2000);
    assertThat(most.get()).isBetween(1, 4);
  }

  @Test
  void theFirstFailureStopsTheRestAndIsThrownAsItWas() throws Exception {
    TaskWindow tasks = new TaskWindow(pool, 3, "testing");
    AtomicInteger ran = new AtomicInteger();
    IOException boom = new IOException("disk full");
    tasks.submit(() -> {
      throw boom;
    });
    // Later submissions either throw the failure at once or are skipped when they run.
    int accepted = 0;
    try {
      for (int i = 0; i < 1000; i++) {
        tasks.submit(ran::incrementAndGet);
        accepted++;
      }
    } catch (IOException e) {
      assertThat(e).isSameAs(boom);
    }
    assertThatThrownBy(tasks::finish).isSameAs(boom);
    assertThat(ran.get()).isLessThanOrEqualTo(accepted).isLessThan(1000);
  }

  @Test
  void uncheckedFailuresStayUnchecked() {
    TaskWindow tasks = new TaskWindow(pool, 2, "testing");
    assertThatThrownBy(() -> {
      tasks.submit(() -> {
        throw new IllegalStateException("bug");
      });
      tasks.finish();
    }).isInstanceOf(IllegalStateException.class).hasMessage("bug");
  }
}
