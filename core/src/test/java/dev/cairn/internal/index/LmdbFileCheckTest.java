package dev.cairn.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/** The check made before an index is mapped: damage found, and never a healthy file taken for it. */
class LmdbFileCheckTest {
  @TempDir Path tmp;

  /** The newest meta page's mm_last_pg, and the file's size in pages. */
  private static long[] lastPageAndPages(Path data) throws Exception {
    try (FileChannel ch = FileChannel.open(data)) {
      ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
      ch.read(b, 0);
      int lastPg = 16 + 4 + 4 + 8 + 8 + 48 + 48;
      long best = -1;
      long last = -1;
      for (int page = 0; page < 2; page++) {
        long txn = b.getLong(page * 4096 + lastPg + 8);
        if (txn > best) {
          best = txn;
          last = b.getLong(page * 4096 + lastPg);
        }
      }
      return new long[] {last, ch.size() / 4096};
    }
  }

  @Test
  void aHealthyFileThatEndsShortOfItsLastPageIsNoDamage() throws Exception {
    // Puts and deletes at random, as an index takes new packs and a gc's removals: transactions
    // that allocate pages at the end and free them again leave those never written, and the file
    // shorter than its last page says, though nothing is wrong with it.
    Path dir = Files.createDirectories(tmp.resolve("index"));
    Random r = new Random(1);
    int endedShort = 0;
    try (Env<ByteBuffer> env = Env.create().setMapSize(1L << 32).setMaxDbs(4).open(dir.toFile(), EnvFlags.MDB_NOTLS)) {
      Dbi<ByteBuffer> db = env.openDbi("objects", DbiFlags.MDB_CREATE);
      List<byte[]> keys = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
          if (r.nextInt(3) < 2 || keys.size() < 1000) {
            for (int i = r.nextInt(20_000) + 1; i > 0; i--) {
              byte[] k = new byte[32];
              r.nextBytes(k);
              keys.add(k);
              db.put(txn, ByteBuffer.allocateDirect(32).put(k).flip(), ByteBuffer.allocateDirect(40).put(new byte[40]).flip());
            }
          } else {
            int n = r.nextInt(keys.size());
            Collections.shuffle(keys, r);
            for (int i = n; i > 0; i--) {
              db.delete(txn, ByteBuffer.allocateDirect(32).put(keys.remove(keys.size() - 1)).flip());
            }
          }
          txn.commit();
        }
        long[] m = lastPageAndPages(dir.resolve("data.mdb"));
        if (m[1] < m[0] + 1) {
          endedShort++;
        }
        assertThatCode(() -> LmdbFileCheck.check(dir.resolve("data.mdb"))).as("after transaction " + t).doesNotThrowAnyException();
      }
    }
    assertThat(endedShort).as("the case this test is for").isPositive();
  }

  @Test
  void aFileCutShortIsDamage() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cut"));
    try (Env<ByteBuffer> env = Env.create().setMapSize(1L << 30).setMaxDbs(4).open(dir.toFile(), EnvFlags.MDB_NOTLS)) {
      Dbi<ByteBuffer> db = env.openDbi("objects", DbiFlags.MDB_CREATE);
      try (Txn<ByteBuffer> txn = env.txnWrite()) {
        for (int i = 0; i < 5_000; i++) {
          db.put(txn, ByteBuffer.allocateDirect(8).putLong(i).flip(), ByteBuffer.allocateDirect(40).put(new byte[40]).flip());
        }
        txn.commit();
      }
    }
    Path data = dir.resolve("data.mdb");
    byte[] whole = Files.readAllBytes(data);
    for (int keep : new int[] {3 * 4096, whole.length / 2}) {
      Files.write(data, java.util.Arrays.copyOf(whole, keep));
      assertThatThrownBy(() -> LmdbFileCheck.check(data)).as("cut to " + keep).isInstanceOf(DamagedIndexException.class)
          .hasMessageContaining(" is truncated (" + keep + " bytes, but its ");
    }
  }
}
