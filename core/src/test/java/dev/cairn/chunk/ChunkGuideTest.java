package dev.cairn.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A reader guided by a stream's previous chunks must cut exactly as the chunker alone does,
 * whatever the edit, while scanning only around the edits.
 */
class ChunkGuideTest {
  private static final ChunkerParams SMALL = new ChunkerParams(512, 2048, 8192, 1);
  private final FastCdcChunker chunker = new FastCdcChunker(SMALL);

  /** Random bytes with runs of zeros, so that some chunks end at the maximum size. */
  static byte[] data(long seed, int n) {
    Random r = new Random(seed);
    byte[] b = new byte[n];
    r.nextBytes(b);
    for (int runs = n / 20_000; runs > 0; runs--) {
      int at = r.nextInt(Math.max(1, n - 1));
      Arrays.fill(b, at, Math.min(n, at + 10_000 + r.nextInt(10_000)), (byte) 0);
    }
    return b;
  }

  static List<byte[]> cut(Chunker chunker, InputStream in) throws IOException {
    return FastCdcChunkerTest.chunks(chunker, in);
  }

  /**
   * Reads {@code now} guided by {@code before}'s chunks, accepting a proposal when its bytes are
   * the previous chunk's (what the inserter checks by hash). Returns the chunks and the reader.
   */
  static List<byte[]> guided(ChunkReader r, List<byte[]> before) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (byte[] c = r.next(); c != null; c = r.next()) {
      int k = r.proposed();
      if (k >= 0 && !Arrays.equals(c, before.get(k))) {
        r.refuse();
        continue;
      }
      if (k >= 0 && !r.accept()) {
        continue;
      }
      out.add(c);
    }
    return out;
  }

  static ChunkGuide guideTo(List<byte[]> chunks, long expectedSize) {
    return new ChunkGuide(chunks.stream().mapToLong(c -> c.length).toArray(), expectedSize);
  }

  static List<Integer> sizes(List<byte[]> chunks) {
    return FastCdcChunkerTest.sizes(chunks);
  }

  /** One edit: replace {@code removed} bytes at {@code at} (a fraction of the length) by {@code inserted} new ones. */
  record Edit(double at, int removed, int inserted) {
    byte[] apply(byte[] data, long seed) {
      int from = (int) (at * data.length);
      int to = Math.min(data.length, from + removed);
      byte[] patch = data(seed, inserted);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(data, 0, from);
      out.write(patch, 0, patch.length);
      out.write(data, to, data.length - to);
      return out.toByteArray();
    }
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<Edit> one = Combinators.combine(
        Arbitraries.doubles().between(0, 1),
        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 20_000)),
        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 20_000))).as(Edit::new);
    return one.list().ofMinSize(0).ofMaxSize(4);
  }

  @Property(tries = 200)
  void aGuidedReadCutsAsTheChunkerDoes(@ForAll long seed, @ForAll @IntRange(min = 0, max = 200_000) int length,
      @ForAll("edits") List<Edit> edits, @ForAll boolean sizeKnown, @ForAll @IntRange(min = 1, max = 20_000) int step)
      throws IOException {
    byte[] before = data(seed, length);
    byte[] now = before;
    for (int i = 0; i < edits.size(); i++) {
      now = edits.get(i).apply(now, seed + i + 1);
    }
    List<byte[]> old = cut(chunker, new ByteArrayInputStream(before));
    ChunkReader r = new ChunkReader(chunker, FastCdcChunkerTest.trickle(now, step), now.length)
        .guide(guideTo(old, sizeKnown ? now.length : -1));
    List<byte[]> got = guided(r, old);

    List<byte[]> expected = cut(chunker, new ByteArrayInputStream(now));
    assertThat(sizes(got)).isEqualTo(sizes(expected));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] c : got) {
      joined.write(c);
    }
    assertThat(joined.toByteArray()).isEqualTo(now);
  }

  @Test
  void anUnchangedStreamIsNotScannedAtAll() throws IOException {
    byte[] data = data(7, 300_000);
    List<byte[]> old = cut(chunker, new ByteArrayInputStream(data));
    ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(data)).guide(guideTo(old, data.length));
    assertThat(sizes(guided(r, old))).isEqualTo(sizes(old));
    assertThat(r.reusedBytes()).isEqualTo(data.length);
  }

  @Test
  void anInPlaceEditIsScannedOnlyAroundIt() throws IOException {
    byte[] data = data(8, 1_000_000);
    List<byte[]> old = cut(chunker, new ByteArrayInputStream(data));
    byte[] edited = data.clone();
    Arrays.fill(edited, 500_000, 500_100, (byte) 7);
    ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(edited)).guide(guideTo(old, edited.length));
    assertThat(sizes(guided(r, old))).isEqualTo(sizes(cut(chunker, new ByteArrayInputStream(edited))));
    // A few chunks around the edit are cut again; the rest are proposals that held.
    assertThat(r.reusedBytes()).isGreaterThan(edited.length - 8L * SMALL.maxSize());
  }

  @Test
  void insertedBytesShiftTheChunksAfterThem() throws IOException {
    byte[] data = data(9, 1_000_000);
    List<byte[]> old = cut(chunker, new ByteArrayInputStream(data));
    byte[] edited = new Edit(0.3, 0, 777).apply(data, 10);
    ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(edited)).guide(guideTo(old, edited.length));
    assertThat(sizes(guided(r, old))).isEqualTo(sizes(cut(chunker, new ByteArrayInputStream(edited))));
    assertThat(r.reusedBytes()).isGreaterThan(edited.length - 8L * SMALL.maxSize());
  }

  @Test
  void appendedBytesRecutOnlyThePreviousLastChunk() throws IOException {
    byte[] data = data(11, 500_000);
    List<byte[]> old = cut(chunker, new ByteArrayInputStream(data));
    byte[] longer = Arrays.copyOf(data, 520_000);
    System.arraycopy(data(12, 20_000), 0, longer, 500_000, 20_000);
    ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(longer)).guide(guideTo(old, longer.length));
    assertThat(sizes(guided(r, old))).isEqualTo(sizes(cut(chunker, new ByteArrayInputStream(longer))));
    assertThat(r.reusedBytes()).isEqualTo(data.length - old.get(old.size() - 1).length);
  }

  @Test
  void aGuideCutWithOtherParametersGivesValidChunks() throws IOException {
    // File objects fetched from repositories that cut chunks half or twice as large, then edited
    // in a repository whose chunker is this one.
    FastCdcChunker smaller = new FastCdcChunker(new ChunkerParams(256, 1024, 4096, 1));
    FastCdcChunker larger = new FastCdcChunker(new ChunkerParams(1024, 4096, 16384, 1));
    for (long seed = 20; seed < 30; seed++) {
      byte[] data = data(seed, 300_000);
      byte[] edited = data.clone();
      edited[150_000] ^= 1;
      for (FastCdcChunker other : List.of(smaller, larger)) {
        List<byte[]> old = cut(other, new ByteArrayInputStream(data));
        ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(edited)).guide(guideTo(old, edited.length));
        List<byte[]> got = guided(r, old);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] c : got) {
          assertThat(c.length).isBetween(1, SMALL.maxSize());
          joined.write(c);
        }
        assertThat(joined.toByteArray()).isEqualTo(edited);
        if (other == smaller) {
          // Its boundaries do not pass this chunker's test: the cut is the rule's own.
          assertThat(sizes(got)).isEqualTo(sizes(cut(chunker, new ByteArrayInputStream(edited))));
        }
      }
    }
  }

  @Test
  void endsAtIsTheCutRuleAtTheChunksEnd() throws IOException {
    byte[] data = data(31, 400_000);
    int off = 0;
    for (byte[] c : cut(chunker, new ByteArrayInputStream(data))) {
      if (off + c.length < data.length) { // not the last chunk, which the end cut
        assertThat(chunker.endsAt(data, off, c.length)).isTrue();
        assertThat(chunker.endsAt(data, off, c.length - 1)).isFalse();
      }
      off += c.length;
    }
  }

  @Test
  void onlyAProposalCanBeRefused() throws IOException {
    byte[] data = data(13, 50_000);
    ChunkReader r = new ChunkReader(chunker, new ByteArrayInputStream(data));
    r.next();
    assertThat(r.proposed()).isEqualTo(-1);
    assertThatThrownBy(r::refuse).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aGuideRefusesChunksOfNoLength() {
    assertThatThrownBy(() -> new ChunkGuide(new long[] {10, 0}, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
