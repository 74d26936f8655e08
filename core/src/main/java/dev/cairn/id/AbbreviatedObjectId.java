package dev.cairn.id;

import java.util.Locale;

/**
 * A prefix of an object id's hex form, as users type it ({@code 3fa9c0de}). Like Git, Cairn
 * accepts any unique prefix of at least {@link #MIN_LENGTH} digits.
 */
public final class AbbreviatedObjectId {
  /** The shortest prefix accepted from users. */
  public static final int MIN_LENGTH = 8;

  private final String hex;

  private AbbreviatedObjectId(String hex) {
    this.hex = hex;
  }

  /**
   * Parses a prefix of {@value #MIN_LENGTH} to 64 hex digits.
   *
   * @throws IllegalArgumentException if it is too short, too long or not hex
   */
  public static AbbreviatedObjectId parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.length() < MIN_LENGTH || s.length() > ObjectId.HEX_LENGTH || !ObjectId.isHex(s)) {
      throw new IllegalArgumentException(
          "not an object id or a prefix of at least " + MIN_LENGTH + " hex digits: " + text);
    }
    return new AbbreviatedObjectId(s);
  }

  /** Whether {@code text} parses as a prefix. */
  public static boolean isValid(String text) {
    String s = text.trim();
    return s.length() >= MIN_LENGTH && s.length() <= ObjectId.HEX_LENGTH && ObjectId.isHex(s);
  }

  /** The lower-case hex digits. */
  public String hex() {
    return hex;
  }

  /** Whether every digit is given, so this is a full id. */
  public boolean isComplete() {
    return hex.length() == ObjectId.HEX_LENGTH;
  }

  /** The smallest id with this prefix: the prefix padded with zeros. */
  public ObjectId lowerBound() {
    return ObjectId.fromHex(hex + "0".repeat(ObjectId.HEX_LENGTH - hex.length()));
  }

  /** Whether {@code id} starts with this prefix. */
  public boolean matches(ObjectId id) {
    return id.hex().startsWith(hex);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AbbreviatedObjectId other && hex.equals(other.hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return hex;
  }
}
