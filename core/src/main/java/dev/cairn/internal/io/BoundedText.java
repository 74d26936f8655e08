package dev.cairn.internal.io;

import dev.cairn.errors.PatternTooCostlyException;
import java.util.function.Supplier;

/**
 * A text that a regular expression may read a bounded number of characters of: the JDK's matcher
 * backtracks, and some patterns take time exponential in their stars on a long enough text. Every
 * character read counts; past the budget, the match stops with a {@link PatternTooCostlyException}.
 */
public final class BoundedText implements CharSequence {
  /**
   * Characters a match may read: a thousand times a long path's length. A pattern a person means
   * reads each character of a path a few times.
   */
  public static final long BUDGET = 1_000_000;

  /**
   * Characters that several matches may read in all (the paths one web page scans): each match
   * stays within {@link #BUDGET} too. Not for matches on several threads at once.
   */
  public static final class Budget {
    private long left;

    public Budget(long characters) {
      this.left = characters;
    }
  }

  private final CharSequence text;
  private final Supplier<String> what;
  private final Budget shared;
  private long left;

  /**
   * @param what names the pattern for the message: "wildcard '**a**b'"
   */
  public BoundedText(CharSequence text, Supplier<String> what) {
    this(text, what, BUDGET, null);
  }

  /** As {@link #BoundedText(CharSequence, Supplier)}, its reads drawn on {@code shared} as well (null: none). */
  public BoundedText(CharSequence text, Supplier<String> what, Budget shared) {
    this(text, what, BUDGET, shared);
  }

  BoundedText(CharSequence text, Supplier<String> what, long budget, Budget shared) {
    this.text = text;
    this.what = what;
    this.left = budget;
    this.shared = shared;
  }

  @Override
  public char charAt(int index) {
    if (shared != null && --shared.left < 0) {
      throw new PatternTooCostlyException("Cannot use " + what.get() + ": matching it against so many paths takes too many steps in"
          + " all; narrow it with a folder to start from (images/**/*.png rather than **/*.png)");
    }
    if (--left < 0) {
      throw new PatternTooCostlyException("Cannot use " + what.get() + ": matching it takes too many steps (stars or {a,b} alternatives that"
          + " can match the same text many ways, as in **a**a**b); use fewer wildcards");
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
