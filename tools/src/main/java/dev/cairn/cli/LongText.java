package dev.cairn.cli;

/** Text too long to show whole (an error that repeats a long input), cut in the middle. */
public final class LongText {
  private LongText() {}

  /**
   * {@code text} when at most {@code limit} characters long; else its first three quarters of
   * {@code limit} and its last eighth, around a note of its whole length. Never cuts a surrogate pair.
   */
  public static String cut(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int head = text.offsetByCodePoints(0, text.codePointCount(0, limit * 3 / 4));
    int tail = text.offsetByCodePoints(0, text.codePointCount(0, text.length() - limit / 8));
    return text.substring(0, head) + " … (" + text.length() + " characters in all) … " + text.substring(tail);
  }
}
