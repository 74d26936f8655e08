package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSError;
import org.junit.jupiter.api.Test;

/** The storage contract for {@code file:} through Hadoop's raw local file system. */
class LocalHadoopStorageContractTest extends AbstractHadoopStorageContractTest {
  @Override
  protected Map<String, String> conf() {
    return Map.of(HadoopConf.USE_FOR_FILE, "true");
  }

  @Override
  protected String newRoot() {
    return tmp.resolve(unique("remote")).toUri().toString();
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.HARD_LINK;
  }

  /**
   * Hadoop's local file system throws a failed write (a full disk) as an {@link FSError}, an
   * {@link Error}: it reached the user as a stack trace. It is the I/O error it carries now.
   */
  @Test
  void aFullDiskIsAnIoErrorNotAnError() throws Exception {
    var make = FSError.class.getDeclaredConstructor(Throwable.class);
    make.setAccessible(true);
    FSError full = make.newInstance(new IOException("No space left on device"));
    assertThatThrownBy(() -> ((HadoopStorage) storage).publish("packs/pack-full.pack", out -> {
      out.write(new byte[10_000]);
      throw full;
    })).isInstanceOf(StorageException.class).hasMessageStartingWith("Cannot publish packs/pack-full.pack on ")
        .hasRootCauseMessage("No space left on device");
    assertThat(storage.size("packs/pack-full.pack")).isEqualTo(-1);
    try (Stream<Path> left = Files.walk(Path.of(lastRoot))) {
      assertThat(left.filter(Files::isRegularFile)).as("the temporary file is gone").isEmpty();
    }
  }
}
