package dev.cairn.cli;

/** Arguments as a POSIX shell would need them typed, for lines that show a command. */
public final class ShellWords {
  private ShellWords() {}

  /** {@code arg} as is when a shell reads it so, else in single quotes ({@code '} as {@code '\''}). */
  public static String quote(String arg) {
    if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
