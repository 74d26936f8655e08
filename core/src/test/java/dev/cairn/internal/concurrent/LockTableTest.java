package dev.cairn.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LockTableTest {
  @Test
  void threadsOfOneKeyTakeItInTurnAndTheEntryGoesWithItsLastUser() throws Exception {
    LockTable<String> table = new LockTable<>();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        all.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            LockTable.Entry<String> e = table.enter("k" + (i % 2));
            e.lock();
            try {
              if (i % 2 == 0) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                inside.decrementAndGet();
              }
            } finally {
              e.release();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).as("one thread at a time inside a key's lock").isEqualTo(1);
    assertThat(table.size()).isZero();
  }

  @Test
  void anEntryEnteredTwiceStaysUntilBothLeave() {
    LockTable<String> table = new LockTable<>();
    LockTable.Entry<String> first = table.enter("k");
    LockTable.Entry<String> second = table.enter("k");
    assertThat(second).isSameAs(first);
    first.lock();
    assertThat(first.owner()).isEqualTo(Thread.currentThread());
    first.release();
    assertThat(table.size()).isOne();
    assertThat(table.enter("k")).as("still the entry a waiter holds").isSameAs(second);
    second.leave();
    second.leave();
    assertThat(table.size()).isZero();
    assertThat(table.enter("k")).isNotSameAs(first);
  }
}
