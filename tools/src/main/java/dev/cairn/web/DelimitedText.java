package dev.cairn.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first rows of CSV or TSV text (RFC 4180 quoting: {@code "a ""quoted"" field"},
 * separators and newlines inside quotes). Lenient: a malformed row is read as well as it can be.
 */
final class DelimitedText {
  private DelimitedText() {}

  /**
   * Up to {@code maxRows} rows of {@code text}, blank lines left out (as pandas reads them). The
   * last row is dropped when the text was cut ({@code complete} false) since it may be partial.
   */
  static List<List<String>> rows(String text, char separator, int maxRows, boolean complete) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldWasQuoted = false; // "" is a value, an empty line none
    int i = 0;
    int n = text.length();
    if (n > 0 && text.charAt(0) == '\uFEFF') {
      i++;
    }
    for (; i < n && rows.size() < maxRows; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        fieldWasQuoted = true;
      } else if (c == separator) {
        row.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (row.isEmpty() && field.length() == 0 && !fieldWasQuoted) {
          continue; // a blank line
        }
        row.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (complete && rows.size() < maxRows && (field.length() > 0 || !row.isEmpty())) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
