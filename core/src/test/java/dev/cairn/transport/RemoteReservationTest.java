package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.storage.ForwardingStorage;
import dev.cairn.storage.memory.InMemoryStorage;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteReservationTest {
  @TempDir Path tmp;

  /** A store client that retried a conditional upload whose first attempt landed: "exists". */
  private static final class RetriedUploads extends ForwardingStorage {
    RetriedUploads(InMemoryStorage inner) {
      super(inner);
    }

    @Override
    public boolean createIfAbsent(String name, byte[] data) throws IOException {
      super.createIfAbsent(name, data);
      return false;
    }
  }

  /** The same, with the object readable only a moment after the answer. */
  private static final class SlowRetriedUploads extends ForwardingStorage {
    SlowRetriedUploads(InMemoryStorage inner) {
      super(inner);
    }

    @Override
    public boolean createIfAbsent(String name, byte[] data) {
      Thread late = new Thread(() -> {
        try {
          Thread.sleep(150);
          super.createIfAbsent(name, data);
        } catch (InterruptedException | IOException e) {
          throw new IllegalStateException(e);
        }
      });
      late.start();
      return false;
    }
  }

  @Test
  void aReservationThatBecomesVisibleLateIsStillOurs() throws IOException {
    try (Repository local = TestRepos.create(tmp.resolve("local"))) {
      Remote remote = new Remote(new SlowRetriedUploads(new InMemoryStorage("mem")), local);
      assertThat(remote.reserveName("p", "d", "1.0.0", "id-one")).isTrue();
    }
  }

  @Test
  void aReservationThatLandedDespiteAnExistsAnswerIsOurs() throws IOException {
    InMemoryStorage mem = new InMemoryStorage("mem");
    try (Repository local = TestRepos.create(tmp.resolve("local"))) {
      Remote remote = new Remote(new RetriedUploads(mem), local);
      assertThat(remote.reserveName("p", "d", "1.0.0", "id-one")).isTrue();
      assertThat(remote.reserveName("p", "d", "1.0.0", "id-two")).isFalse();
      assertThat(remote.reservedVersions("p", "d")).containsExactly("1.0.0");
    }
  }
}
