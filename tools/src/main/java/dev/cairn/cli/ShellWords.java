package dev.cairn.cli;

/** Arguments as a POSIX shell would need them typed, for lines that show a command. */
public final class ShellWords {
  private ShellWords() {}

  /**
   * {@code arg} as is when a shell reads it so; else in single quotes ({@code '} as {@code '\''});
   * or, when it holds a control character (a newline, a tab), ANSI-C quoted ({@code $'a\nb'}, as
   * bash, zsh and POSIX.1-2024 read it), so that the command stays on one line and shows what ran.
   */
  public static String quote(String arg) {
    if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
      return arg;
    }
    if (arg.chars().noneMatch(ShellWords::isControl)) {
      return "'" + arg.replace("'", "'\\''") + "'";
    }
    StringBuilder sb = new StringBuilder("$'");
    arg.chars().forEach(c -> {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        default -> {
          if (isControl(c)) {
            // Above 0x7f by its code point: a byte escape would write one byte, not the character.
            sb.append(c < 0x80 ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
          } else {
            sb.append((char) c);
          }
        }
      }
    });
    return sb.append('\'').toString();
  }

  /** C0 and C1 controls, DEL, and the line and paragraph separators: what a line of text must not hold as is. */
  private static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
  }
}
