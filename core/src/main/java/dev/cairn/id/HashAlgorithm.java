package dev.cairn.id;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * The repository's object format: the 256-bit hash that names every object. Chosen when a
 * repository is created and never changed; recorded in its config and in every pack header.
 */
public enum HashAlgorithm {
  /** SHA-256 through the JDK, which uses the CPU's SHA extensions where present. The default. */
  SHA256("sha256", 1) {
    @Override
    public Hasher newHasher() {
      return new JdkHasher(this);
    }
  },
  /** BLAKE3 with 256-bit output, through Bouncy Castle. */
  BLAKE3("blake3", 2) {
    @Override
    public Hasher newHasher() {
      return new Blake3Hasher();
    }
  };

  private final String configName;
  private final int code;

  HashAlgorithm(String configName, int code) {
    this.configName = configName;
    this.code = code;
  }

  /** The name used in configs, specs and {@code --object-format}. */
  public String configName() {
    return configName;
  }

  /** The one-byte code written in pack headers. */
  public int code() {
    return code;
  }

  /** A fresh, reusable incremental hasher; one per thread. */
  public abstract Hasher newHasher();

  /** Hashes {@code len} bytes of {@code b} from {@code off}. */
  public ObjectId hash(byte[] b, int off, int len) {
    Hasher h = newHasher();
    h.update(b, off, len);
    return h.digest();
  }

  /** Hashes all of {@code b}. */
  public ObjectId hash(byte[] b) {
    return hash(b, 0, b.length);
  }

  /** The algorithm for a config name such as {@code sha256}. */
  public static HashAlgorithm fromConfigName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "");
    for (HashAlgorithm a : values()) {
      if (a.configName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown object format '" + name + "' (expected sha256 or blake3)");
  }

  /** The algorithm for a pack header code. */
  public static HashAlgorithm fromCode(int code) {
    for (HashAlgorithm a : values()) {
      if (a.code == code) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown object format code " + code);
  }

  private static final class JdkHasher implements Hasher {
    private final HashAlgorithm algorithm;
    private final MessageDigest md;

    JdkHasher(HashAlgorithm algorithm) {
      this.algorithm = algorithm;
      try {
        this.md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK lacks SHA-256", e);
      }
    }

    @Override
    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer buf) {
      md.update(buf);
    }

    @Override
    public ObjectId digest() {
      return ObjectId.fromBytes(md.digest());
    }

    @Override
    public HashAlgorithm algorithm() {
      return algorithm;
    }
  }

  private static final class Blake3Hasher implements Hasher {
    private final Blake3Digest digest = new Blake3Digest(256);
    private final byte[] out = new byte[ObjectId.LENGTH];

    @Override
    public void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    public ObjectId digest() {
      digest.doFinal(out, 0);
      return ObjectId.fromBytes(out, 0);
    }

    @Override
    public HashAlgorithm algorithm() {
      return BLAKE3;
    }
  }
}
