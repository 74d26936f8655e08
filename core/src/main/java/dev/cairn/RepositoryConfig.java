package dev.cairn;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.pack.PackSettings;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A repository's settings, stored as the text file {@code config}: one {@code key = value} per
 * line, {@code #} comments (spec/repository.md). The object format and chunker parameters are
 * fixed when the repository is created; other keys may change later. Keys this build does not know
 * are kept as they are.
 */
public record RepositoryConfig(
    HashAlgorithm objectFormat,
    ChunkerParams chunker,
    PackSettings pack,
    long indexMapSizeBytes,
    Map<String, String> extra) {

  /** The repository layout version this build reads and writes. */
  public static final int FORMAT_VERSION = 1;

  static final String FORMAT_VERSION_KEY = "core.formatVersion";
  static final String OBJECT_FORMAT_KEY = "core.objectFormat";
  static final String CHUNKER_MIN = "chunker.minSize";
  static final String CHUNKER_AVG = "chunker.avgSize";
  static final String CHUNKER_MAX = "chunker.maxSize";
  static final String CHUNKER_NORMALIZATION = "chunker.normalization";
  static final String PACK_TARGET = "pack.targetSize";
  static final String PACK_BLOCK = "pack.blockSize";
  static final String PACK_SMALL = "pack.smallObjectLimit";
  static final String PACK_ZSTD = "pack.zstdLevel";
  static final String INDEX_MAP_SIZE = "index.mapSize";
  private static final Set<String> KNOWN_KEYS = Set.of(FORMAT_VERSION_KEY, OBJECT_FORMAT_KEY,
      CHUNKER_MIN, CHUNKER_AVG, CHUNKER_MAX, CHUNKER_NORMALIZATION, PACK_TARGET, PACK_BLOCK, PACK_SMALL, PACK_ZSTD, INDEX_MAP_SIZE);

  /** The defaults: SHA-256, the benchmarked chunker sizes, 64 MiB packs, zstd level 1. */
  public static final RepositoryConfig DEFAULT =
      new RepositoryConfig(HashAlgorithm.SHA256, ChunkerParams.DEFAULT, PackSettings.DEFAULT, 32L << 30, Map.of());

  public RepositoryConfig {
    extra = Collections.unmodifiableMap(new TreeMap<>(extra));
  }

  /** This config with another object format. */
  public RepositoryConfig withObjectFormat(HashAlgorithm format) {
    return new RepositoryConfig(format, chunker, pack, indexMapSizeBytes, extra);
  }

  /** This config with other chunker parameters. */
  public RepositoryConfig withChunker(ChunkerParams params) {
    return new RepositoryConfig(objectFormat, params, pack, indexMapSizeBytes, extra);
  }

  /** This config with other pack settings. */
  public RepositoryConfig withPack(PackSettings settings) {
    return new RepositoryConfig(objectFormat, chunker, settings, indexMapSizeBytes, extra);
  }

  /** This config with an extra key set (or removed when {@code value} is null). */
  public RepositoryConfig with(String key, String value) {
    if (key.isBlank() || key.contains("=") || key.contains("#") || key.strip().length() != key.length()
        || key.chars().anyMatch(c -> c < 0x20) || (value != null && value.chars().anyMatch(c -> c == '\n' || c == '\r'))) {
      throw new IllegalArgumentException("invalid config key or value: " + key);
    }
    if (KNOWN_KEYS.contains(key)) {
      throw new IllegalArgumentException(key + " is fixed when the repository is created");
    }
    TreeMap<String, String> m = new TreeMap<>(extra);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return new RepositoryConfig(objectFormat, chunker, pack, indexMapSizeBytes, m);
  }

  /** An extra key's value, or {@code fallback}. */
  public String get(String key, String fallback) {
    return extra.getOrDefault(key, fallback);
  }

  /**
   * An extra key's value as a non-negative whole number, or {@code fallback} when it is not set.
   *
   * @throws InvalidConfigException naming the key when its value is not one
   */
  public long getNonNegative(String key, long fallback) throws InvalidConfigException {
    String v = extra.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidConfigException("Cannot read config: " + key + " = " + v + " is not a whole number of 0 or more");
  }

  /** The config file's text. */
  public String format() {
    StringBuilder sb = new StringBuilder("# Cairn repository configuration (spec/repository.md)\n");
    line(sb, FORMAT_VERSION_KEY, FORMAT_VERSION);
    line(sb, OBJECT_FORMAT_KEY, objectFormat.configName());
    line(sb, CHUNKER_MIN, chunker.minSize());
    line(sb, CHUNKER_AVG, chunker.avgSize());
    line(sb, CHUNKER_MAX, chunker.maxSize());
    line(sb, CHUNKER_NORMALIZATION, chunker.normalization());
    line(sb, PACK_TARGET, pack.packTargetBytes());
    line(sb, PACK_BLOCK, pack.blockTargetBytes());
    line(sb, PACK_SMALL, pack.smallObjectLimit());
    line(sb, PACK_ZSTD, pack.zstdLevel());
    line(sb, INDEX_MAP_SIZE, indexMapSizeBytes);
    extra.forEach((k, v) -> line(sb, k, v));
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append(" = ").append(value).append('\n');
  }

  /**
   * Parses a config file's text. Missing keys take their defaults, except the format version and
   * object format, which must be present.
   *
   * @throws InvalidConfigException naming the offending line or key
   */
  public static RepositoryConfig parse(String text) throws InvalidConfigException {
    TreeMap<String, String> kv = new TreeMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigException("Cannot read config: line " + (i + 1) + " is not 'key = value'");
      }
      String key = line.substring(0, eq).strip();
      if (kv.put(key, line.substring(eq + 1).strip()) != null) {
        throw new InvalidConfigException("Cannot read config: " + key + " is set twice (line " + (i + 1) + ")");
      }
    }
    String version = kv.remove(FORMAT_VERSION_KEY);
    if (version == null) {
      throw new InvalidConfigException("Cannot read config: " + FORMAT_VERSION_KEY + " is missing");
    }
    if (!version.equals(String.valueOf(FORMAT_VERSION))) {
      throw new InvalidConfigException("Cannot open repository: format version " + version
          + " is not supported by this Cairn (it reads " + FORMAT_VERSION + ")");
    }
    String format = kv.remove(OBJECT_FORMAT_KEY);
    if (format == null) {
      throw new InvalidConfigException("Cannot read config: " + OBJECT_FORMAT_KEY + " is missing");
    }
    try {
      HashAlgorithm algorithm = HashAlgorithm.fromConfigName(format);
      ChunkerParams d = ChunkerParams.DEFAULT;
      ChunkerParams chunker = new ChunkerParams(
          intValue(kv, CHUNKER_MIN, d.minSize()),
          intValue(kv, CHUNKER_AVG, d.avgSize()),
          intValue(kv, CHUNKER_MAX, d.maxSize()),
          intValue(kv, CHUNKER_NORMALIZATION, d.normalization()));
      PackSettings p = PackSettings.DEFAULT;
      PackSettings pack = new PackSettings(
          longValue(kv, PACK_TARGET, p.packTargetBytes()),
          intValue(kv, PACK_BLOCK, p.blockTargetBytes()),
          intValue(kv, PACK_SMALL, p.smallObjectLimit()),
          intValue(kv, PACK_ZSTD, p.zstdLevel()));
      long mapSize = longValue(kv, INDEX_MAP_SIZE, DEFAULT.indexMapSizeBytes);
      if (mapSize < (1L << 20)) {
        throw new IllegalArgumentException(INDEX_MAP_SIZE + " must be at least 1 MiB");
      }
      return new RepositoryConfig(algorithm, chunker, pack, mapSize, kv);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("Cannot read config: " + e.getMessage());
    }
  }

  private static int intValue(Map<String, String> kv, String key, int fallback) {
    long v = longValue(kv, key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " out of range: " + v);
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> kv, String key, long fallback) {
    String s = kv.remove(key);
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: " + s);
    }
  }
}
