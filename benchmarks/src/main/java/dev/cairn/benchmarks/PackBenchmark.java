package dev.cairn.benchmarks;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.object.ObjectType;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pack store through the public API, in a temporary repository on disk with the default
 * config (SHA-256, zstd level 1, 64 MiB packs).
 *
 * <ul>
 *   <li>{@code write}: one thread inserts 32 MiB as 32 one-MiB chunks (hash, compress, append)
 *       and flushes: the pack is finished, fsynced, renamed and indexed in LMDB. Each operation
 *       stamps a counter into every chunk so nothing is deduplicated.
 *   <li>{@code read}: opens 64 one-MiB chunks by id: index lookup, positional read, crc32c,
 *       decompression and hash verification.
 *   <li>{@code readContent}: streams a 64 MiB file (default chunker) through
 *       {@code openContent}, as a checkout would.
 *   <li>{@code verifyPacks}: opens every pack and checks its whole-file crc32c, as fsck does.
 * </ul>
 * Reads come from the page cache: these are CPU costs, not disk speed. {@code :mb} is MB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class PackBenchmark {
  static final int CHUNK = 1 << 20;

  /** A fresh repository per iteration, so that packs written do not pile up on disk. */
  @State(Scope.Benchmark)
  public static class WriteState {
    static final int CHUNKS = 32;

    @Param({"random", "text"})
    public String data;

    byte[] payload;
    Path dir;
    Repository repo;
    long counter;

    @Setup(Level.Trial)
    public void data() {
      payload = BenchData.of(data, CHUNKS * CHUNK);
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = BenchData.newTempDir("cairn-pack-write-");
      repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      repo.close();
      BenchData.deleteRecursively(dir);
    }
  }

  /** A repository written once per trial, then read. */
  @State(Scope.Benchmark)
  public static class ReadState {
    static final int CHUNKS = 64;

    @Param({"random", "text"})
    public String data;

    Path dir;
    Repository repo;
    List<ObjectId> ids = new ArrayList<>();
    FileContent file;
    long packBytes;

    @Setup(Level.Trial)
    public void open() throws IOException {
      byte[] payload = BenchData.of(data, CHUNKS * CHUNK);
      dir = BenchData.newTempDir("cairn-pack-read-");
      repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT);
      try (ObjectInserter ins = repo.objects().newInserter()) {
        for (int i = 0; i < CHUNKS; i++) {
          ids.add(ins.insert(ObjectType.CHUNK, payload, i * CHUNK, CHUNK));
        }
        ins.flush();
        // A second copy of the bytes as a file, shifted by one byte so it is cut into new chunks.
        byte[] shifted = new byte[payload.length];
        System.arraycopy(payload, 1, shifted, 0, payload.length - 1);
        shifted[shifted.length - 1] = 42;
        file = ins.insertFile(new ByteArrayInputStream(shifted));
        ins.flush();
      }
      for (Path p : repo.packs().packFiles()) {
        packBytes += Files.size(p);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      repo.close();
      BenchData.deleteRecursively(dir);
    }
  }

  @Benchmark
  public long write(WriteState s, Throughput t) throws IOException {
    long op = ++s.counter;
    try (ObjectInserter ins = s.repo.objects().newInserter()) {
      for (int i = 0; i < WriteState.CHUNKS; i++) {
        int off = i * CHUNK;
        for (int b = 0; b < 8; b++) {
          s.payload[off + b] = (byte) (op >>> (8 * b));
        }
        ins.insert(ObjectType.CHUNK, s.payload, off, CHUNK);
      }
      ins.flush();
      t.add((long) WriteState.CHUNKS * CHUNK);
      return ins.stats().storedBytesWritten();
    }
  }

  @Benchmark
  public long read(ReadState s, Throughput t) throws IOException {
    long sum = 0;
    try (ObjectReader reader = s.repo.objects().newReader()) {
      for (ObjectId id : s.ids) {
        ObjectLoader l = reader.open(id);
        sum += l.bytes()[l.size() - 1];
      }
    }
    t.add((long) ReadState.CHUNKS * CHUNK);
    return sum;
  }

  @Benchmark
  public long readContent(ReadState s, Throughput t) throws IOException {
    byte[] buf = new byte[64 << 10];
    long total = 0;
    try (ObjectReader reader = s.repo.objects().newReader(); InputStream in = reader.openContent(s.file)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    t.add(total);
    return total;
  }

  @Benchmark
  public long verifyPacks(ReadState s, Throughput t) throws IOException {
    long total = 0;
    for (Path p : s.repo.packs().packFiles()) {
      try (PackFile pack = PackFile.open(p)) {
        pack.verifyChecksum();
        total += pack.length();
      }
    }
    t.add(total);
    return total;
  }
}
