package dev.cairn.spec;

import dev.cairn.chunk.SplitMix;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.KeyLevel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic input generators that vector files name instead of listing large inputs
 * (specified in {@code vectors/README.md}). They produce inputs only; every expected output is read
 * from the vector files.
 */
final class Inputs {
  private Inputs() {}

  /** SplitMix64's increment (the golden gamma). */
  static final long GAMMA = 0x9E3779B97F4A7C15L;

  /**
   * {@code length} bytes: the big-endian bytes of successive SplitMix64 outputs from {@code seed}
   * ({@code state += GAMMA; out = mix(state)}), the last output truncated.
   */
  static byte[] splitmix64(long seed, int length) {
    byte[] out = new byte[length];
    long state = seed;
    for (int i = 0; i < length; i += 8) {
      state += GAMMA;
      long z = SplitMix.mix(state);
      for (int k = 0; k < 8 && i + k < length; k++) {
        out[i + k] = (byte) (z >>> (56 - 8 * k));
      }
    }
    return out;
  }

  /** Byte {@code i} is {@code i mod 251}: the input of BLAKE3's official test vectors. */
  static byte[] pattern251(int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (i % 251);
    }
    return out;
  }

  private static final String[] LABELS = {"cat", "dog", "bird", "fish"};

  /** {@code rows} lines {@code %05d,<label>,<value>\n}: label {@code i mod 4}, value {@code 7919 i mod 1000}. */
  static byte[] csv(int rows) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      sb.append(String.format(Locale.ROOT, "%05d,%s,%d", i, LABELS[i % 4], (i * 7919) % 1000)).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a number written in decimal or as {@code 0x} hex (64-bit, two's complement). */
  static long number(String s) {
    if (s.startsWith("0x")) {
      return Long.parseUnsignedLong(s.substring(2), 16);
    }
    return Long.parseLong(s);
  }

  /**
   * Evaluates a content expression: {@code text ESCAPED}, {@code hex HEX}, {@code zeros N},
   * {@code splitmix64 SEED N}, {@code pattern251 N} or {@code csv ROWS}.
   */
  static byte[] content(String expr) {
    String[] p = expr.strip().split("\\s+");
    switch (p[0]) {
      case "text":
        return VectorFile.unescape(p[1]).getBytes(StandardCharsets.UTF_8);
      case "hex":
        return p.length == 1 ? new byte[0] : VectorFile.HEX.parseHex(p[1]);
      case "zeros":
        return new byte[Integer.parseInt(p[1])];
      case "splitmix64":
        return splitmix64(number(p[1]), Integer.parseInt(p[2]));
      case "pattern251":
        return pattern251(Integer.parseInt(p[1]));
      case "csv":
        return csv(Integer.parseInt(p[1]));
      default:
        throw new IllegalArgumentException("unknown content expression: " + expr);
    }
  }

  /** Applies {@code overwrite: OFFSET EXPR} lines: bytes from OFFSET are replaced by EXPR's bytes. */
  static byte[] overwrite(byte[] data, List<String> overwrites) {
    byte[] out = data.clone();
    for (String o : overwrites) {
      String[] p = o.strip().split("\\s+", 2);
      byte[] patch = content(p[1]);
      System.arraycopy(patch, 0, out, Integer.parseInt(p[0]), patch.length);
    }
    return out;
  }

  private static final String[] DIRS = {"images/train", "images/val", "labels", "meta"};

  /**
   * Evaluates a path-set expression, sorted by code point:
   * {@code none}; {@code list ESCAPED...}; {@code files N}: {@code DIRS[i mod 4] + "/" + %06d(i) + (i mod 3 == 0 ? ".json" : ".jpg")};
   * {@code level0 N}: the first N of {@code "bulk/" + i} (i = 0, 1, ...) whose key level is 0.
   */
  static List<String> paths(String expr) {
    String[] p = expr.strip().split("\\s+");
    if (p[0].equals("none")) {
      return new ArrayList<>();
    }
    int n = p[0].equals("list") ? p.length - 1 : Integer.parseInt(p[1]);
    List<String> out = new ArrayList<>(n);
    switch (p[0]) {
      case "files":
        for (int i = 0; i < n; i++) {
          out.add(DIRS[i % 4] + "/" + String.format(Locale.ROOT, "%06d", i) + (i % 3 == 0 ? ".json" : ".jpg"));
        }
        break;
      case "list":
        for (int i = 1; i < p.length; i++) {
          out.add(VectorFile.unescape(p[i]));
        }
        break;
      case "level0":
        for (int i = 0; out.size() < n; i++) {
          String path = "bulk/" + i;
          if (KeyLevel.of(path) == 0) {
            out.add(path);
          }
        }
        break;
      default:
        throw new IllegalArgumentException("unknown path set: " + expr);
    }
    out.sort(DatasetPaths::compare);
    return out;
  }

  /**
   * The manifest entry the vectors use for a path and size: a stored, non-executable file whose
   * digest (and content id) is SHA-256 of {@code UTF-8(path) ":" decimal(size)}.
   */
  static FileEntry entry(String path, long size) {
    ObjectId digest = HashAlgorithm.SHA256.hash((path + ":" + size).getBytes(StandardCharsets.UTF_8));
    return new FileEntry(path, EntryKind.FILE, false, size, digest, digest, null);
  }

  /** {@link #entry} with the size set to the path's UTF-8 length. */
  static FileEntry entry(String path) {
    return entry(path, path.getBytes(StandardCharsets.UTF_8).length);
  }

  static List<FileEntry> entries(List<String> paths) {
    List<FileEntry> out = new ArrayList<>(paths.size());
    for (String p : paths) {
      out.add(entry(p));
    }
    return out;
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(b -> out.write(b, 0, b.length));
    return out.toByteArray();
  }
}
