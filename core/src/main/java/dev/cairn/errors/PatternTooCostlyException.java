package dev.cairn.errors;

/**
 * A pattern (a wildcard, a name search) whose matching took far more steps than a pattern a person
 * means ever needs, as {@code **a**a**a**b} does against a long path in a backtracking matcher:
 * refused instead of run to the end, so that one request cannot keep a core busy for minutes.
 * Unchecked, as matching is.
 */
public final class PatternTooCostlyException extends IllegalArgumentException {
  public PatternTooCostlyException(String message) {
    super(message);
  }
}
