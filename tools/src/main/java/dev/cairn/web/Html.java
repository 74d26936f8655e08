package dev.cairn.web;

/**
 * Builds HTML (and inline SVG) so that nothing a user wrote can become markup: every piece of text
 * and every attribute value goes through {@link #escape}, the one place where escaping happens.
 * Markup enters only through tag names and attribute names, which are program constants, and
 * through {@link #raw}, which takes fragments that another {@code Html} built. Not thread-safe.
 */
final class Html {
  private final StringBuilder sb = new StringBuilder(4096);

  /**
   * Escapes text for element content and double-quoted attribute values: {@code & < > " '}.
   * Control characters other than tab and newline become their symbols of Unicode's Control
   * Pictures ({@code ␛} for ESC, {@code ␀} for NUL, {@code ␡} for DEL), so that none reaches the
   * page, and none reads as a character the file holds (U+FFFD would: text that is not UTF-8).
   */
  static String escape(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? String.valueOf((char) (0x2400 + c)) : c == 0x7F ? "\u2421" : null;
      };
      if (rep != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (rep != null) {
          out.append(rep);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * Opens an element. {@code attrs} alternates names and values; a null value leaves the attribute
   * out, and an empty name-only attribute is written as {@code name} (for {@code selected}, ...).
   */
  Html open(String tag, Object... attrs) {
    sb.append('<').append(tag);
    attributes(attrs);
    sb.append('>');
    return this;
  }

  /** An element without content: {@code <input ...>} or, in SVG, {@code <rect ... />}. */
  Html empty(String tag, Object... attrs) {
    sb.append('<').append(tag);
    attributes(attrs);
    sb.append(isVoid(tag) ? ">" : "/>");
    return this;
  }

  private void attributes(Object[] attrs) {
    if (attrs.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    for (int i = 0; i < attrs.length; i += 2) {
      Object v = attrs[i + 1];
      if (v == null || Boolean.FALSE.equals(v)) {
        continue;
      }
      sb.append(' ').append(attrs[i]);
      if (!Boolean.TRUE.equals(v)) {
        sb.append("=\"").append(escape(v)).append('"');
      }
    }
  }

  private static boolean isVoid(String tag) {
    return switch (tag) {
      case "input", "br", "meta", "link", "img", "hr" -> true;
      default -> false;
    };
  }

  Html close(String tag) {
    sb.append("</").append(tag).append('>');
    return this;
  }

  /** The HTML5 document type line. */
  Html doctype() {
    sb.append("<!doctype html>\n");
    return this;
  }

  /**
   * Escaped text, with the characters that reorder text around them (bidirectional overrides,
   * embeddings, isolates and marks) shown as {@code \u202E}: a file named
   * {@code report\u202Egpj.exe} would read as {@code reportexe.jpg}.
   */
  Html text(Object value) {
    String s = escape(value);
    for (int i = 0; i < s.length(); i++) {
      if (isBidiControl(s.charAt(i))) {
        StringBuilder shown = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (int j = i; j < s.length(); j++) {
          char c = s.charAt(j);
          if (isBidiControl(c)) {
            shown.append(String.format("\\u%04X", (int) c));
          } else {
            shown.append(c);
          }
        }
        s = shown.toString();
        break;
      }
    }
    sb.append(s);
    return this;
  }

  /** U+061C, U+200E-U+200F, U+202A-U+202E and U+2066-U+2069: the characters that change the direction of text. */
  static boolean isBidiControl(char c) {
    return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }

  /** An element holding only escaped text. */
  Html el(String tag, Object text, Object... attrs) {
    return open(tag, attrs).text(text).close(tag);
  }

  /** A link whose label is escaped text. */
  Html link(String href, Object label, Object... attrs) {
    Object[] all = new Object[attrs.length + 2];
    all[0] = "href";
    all[1] = href;
    System.arraycopy(attrs, 0, all, 2, attrs.length);
    return el("a", label, all);
  }

  /** Markup that another {@code Html} built (never user text). */
  Html raw(Html fragment) {
    sb.append(fragment.sb);
    return this;
  }

  /** Whether nothing was written. */
  boolean isEmpty() {
    return sb.length() == 0;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
