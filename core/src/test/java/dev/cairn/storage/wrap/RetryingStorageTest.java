package dev.cairn.storage.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import dev.cairn.storage.memory.InMemoryStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingStorageTest {
  /** A store whose {@code size} fails transiently, after {@code slowMillis} (a client's timeout, shortened). */
  private static RemoteStorage failingSize(AtomicInteger calls, long slowMillis) {
    RemoteStorage inner = new InMemoryStorage("retry");
    return (RemoteStorage) Proxy.newProxyInstance(RemoteStorage.class.getClassLoader(), new Class<?>[] {RemoteStorage.class},
        (proxy, method, args) -> {
          if (method.getName().equals("size")) {
            calls.incrementAndGet();
            Thread.sleep(slowMillis);
            throw new StorageException("timed out", true);
          }
          try {
            return method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aStoreThatFailsFastIsTriedAgainUpToTheAttempts() {
    AtomicInteger calls = new AtomicInteger();
    RetryingStorage s = new RetryingStorage(failingSize(calls, 0), new RetryingStorage.Policy(6, 0, 0, 60_000));
    assertThatThrownBy(() -> s.size("x")).isInstanceOf(StorageException.class);
    assertThat(calls).hasValue(6);
  }

  @Test
  void noNewAttemptStartsOnceTheOperationHasBeenFailingForTheLimit() {
    AtomicInteger calls = new AtomicInteger();
    // Each attempt waits out a timeout longer than the limit: the store does not answer, and is not asked again.
    RetryingStorage s = new RetryingStorage(failingSize(calls, 50), new RetryingStorage.Policy(6, 0, 0, 20));
    assertThatThrownBy(() -> s.size("x")).isInstanceOf(StorageException.class).hasMessage("timed out");
    assertThat(calls).hasValue(1);
  }
}
