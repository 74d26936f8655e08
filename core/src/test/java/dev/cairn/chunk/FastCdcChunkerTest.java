package dev.cairn.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FastCdcChunkerTest {
  private static final ChunkerParams SMALL = new ChunkerParams(512, 2048, 8192, 1);

  static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<byte[]> chunks(Chunker chunker, InputStream in) throws IOException {
    ChunkReader r = new ChunkReader(chunker, in);
    List<byte[]> out = new ArrayList<>();
    for (byte[] c = r.next(); c != null; c = r.next()) {
      out.add(c);
    }
    return out;
  }

  /** Hands out at most {@code step} bytes per read, to vary buffering. */
  static InputStream trickle(byte[] data, int step) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  static List<Integer> sizes(List<byte[]> chunks) {
    return chunks.stream().map(c -> c.length).toList();
  }

  @Property(tries = 60)
  void chunksConcatenateBackToTheInput(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100_000) int length)
      throws IOException {
    byte[] data = random(seed, length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks(new FastCdcChunker(SMALL), new ByteArrayInputStream(data))) {
      assertThat(c.length).isBetween(1, SMALL.maxSize());
      out.write(c);
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Property(tries = 40)
  void boundariesDoNotDependOnBuffering(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9000) int step)
      throws IOException {
    byte[] data = random(seed, 60_000);
    FastCdcChunker chunker = new FastCdcChunker(SMALL);
    assertThat(sizes(chunks(chunker, trickle(data, step))))
        .isEqualTo(sizes(chunks(chunker, new ByteArrayInputStream(data))));
  }

  @Property(tries = 40)
  void anEditChangesOnlyNearbyChunks(@ForAll long seed, @ForAll @IntRange(min = 0, max = 199_900) int at)
      throws IOException {
    FastCdcChunker chunker = new FastCdcChunker(SMALL);
    byte[] data = random(seed, 200_000);
    byte[] edited = data.clone();
    byte[] patch = random(seed + 1, 100);
    System.arraycopy(patch, 0, edited, at, 100);
    Set<String> before = new HashSet<>();
    for (byte[] c : chunks(chunker, new ByteArrayInputStream(data))) {
      before.add(HexFormat.of().formatHex(c, 0, Math.min(32, c.length)) + c.length);
    }
    int changed = 0;
    for (byte[] c : chunks(chunker, new ByteArrayInputStream(edited))) {
      if (!before.contains(HexFormat.of().formatHex(c, 0, Math.min(32, c.length)) + c.length)) {
        changed++;
      }
    }
    // Usually one chunk; when the edit moves a cut point, the next few re-synchronise.
    assertThat(changed).isLessThanOrEqualTo(8);
  }

  @Test
  void aHundredByteEditInAHundredMebibyteFileChangesAFewChunks() throws IOException {
    FastCdcChunker chunker = new FastCdcChunker(ChunkerParams.DEFAULT);
    byte[] data = random(100, 100 << 20);
    List<byte[]> before = chunks(chunker, new ByteArrayInputStream(data));
    Set<String> ids = new HashSet<>();
    for (byte[] c : before) {
      ids.add(dev.cairn.id.HashAlgorithm.SHA256.hash(c).hex());
    }
    int totalChanged = 0;
    for (int trial = 0; trial < 5; trial++) {
      byte[] edited = data.clone();
      int at = (50 << 20) + trial * 7_777_777 % (10 << 20);
      System.arraycopy(random(trial, 100), 0, edited, at, 100);
      int changed = 0;
      for (byte[] c : chunks(chunker, new ByteArrayInputStream(edited))) {
        if (!ids.contains(dev.cairn.id.HashAlgorithm.SHA256.hash(c).hex())) {
          changed++;
        }
      }
      assertThat(changed).as("chunks changed by edit %d of %d", trial, before.size()).isBetween(1, 4);
      totalChanged += changed;
    }
    assertThat(totalChanged).isLessThanOrEqualTo(10);
  }

  @Test
  void averageSizeIsNearTheTarget() throws IOException {
    ChunkerParams p = ChunkerParams.ofAverage(8192);
    byte[] data = random(3, 8 << 20);
    List<byte[]> cs = chunks(new FastCdcChunker(p), new ByteArrayInputStream(data));
    double avg = (double) data.length / cs.size();
    assertThat(avg).isBetween(0.7 * 8192, 1.6 * 8192);
  }

  @Test
  void smallInputIsOneChunk() {
    FastCdcChunker c = new FastCdcChunker(SMALL);
    assertThat(c.cut(new byte[100], 0, 100)).isEqualTo(100);
    assertThat(c.cut(new byte[0], 0, 0)).isZero();
    // Zeros never match the mask after min size: the chunk runs to max size.
    assertThat(c.cut(new byte[20_000], 0, 20_000)).isEqualTo(SMALL.maxSize());
  }
}
