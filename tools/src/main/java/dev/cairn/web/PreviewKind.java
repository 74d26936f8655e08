package dev.cairn.web;

import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/** How the preview tab shows a file, chosen by its name (and, for unknown names, by its first bytes). */
enum PreviewKind {
  /** Shown with an {@code <img>} from the file's bytes. */
  IMAGE,
  /** Comma-separated values: the first rows as a table. */
  CSV,
  /** Tab-separated values: the first rows as a table. */
  TSV,
  /** The head of the file as text. */
  TEXT,
  /** Not shown; only downloadable. */
  NONE;

  /** What the name suggests; {@link #NONE} for unknown names (the caller may sniff the bytes). */
  static PreviewKind of(FileEntry e) {
    if (e.kind() != EntryKind.FILE) {
      return NONE;
    }
    String ext = extension(e.path());
    return switch (ext) {
      case "png", "jpg", "jpeg", "gif", "webp", "bmp", "svg", "ico", "avif" -> IMAGE;
      case "csv" -> CSV;
      case "tsv", "tab" -> TSV;
      case "txt", "md", "markdown", "rst", "json", "jsonl", "ndjson", "yaml", "yml", "toml", "ini", "cfg", "conf", "xml",
          "html", "htm", "log", "py", "java", "js", "ts", "sh", "r", "sql", "c", "h", "cpp", "go", "rs", "properties", "names",
          "labels", "lst", "vocab" -> TEXT;
      default -> NONE;
    };
  }

  /** The media type an image is served as (inline images only). */
  static String imageType(String path) {
    return switch (extension(path)) {
      case "png" -> "image/png";
      case "jpg", "jpeg" -> "image/jpeg";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      case "bmp" -> "image/bmp";
      case "svg" -> "image/svg+xml";
      case "ico" -> "image/x-icon";
      case "avif" -> "image/avif";
      default -> null;
    };
  }

  /**
   * Whether the bytes look like text: no NUL and few control characters, counted on the bytes, or
   * on the characters for a text whose byte-order mark says UTF-16 (where half the bytes are NUL).
   */
  static boolean looksLikeText(byte[] head, int length) {
    return looksLikeText(head, length, Bom.of(head, length));
  }

  /** As {@link #looksLikeText(byte[], int)}, the bytes in the encoding {@code bom} names. */
  static boolean looksLikeText(byte[] head, int length, Bom bom) {
    if (bom == Bom.UTF_16LE || bom == Bom.UTF_16BE) {
      String text = bom.decode(head, length);
      return looksLikeText(text.length(), i -> text.charAt(i));
    }
    return looksLikeText(length, i -> head[i] & 0xFF);
  }

  private static boolean looksLikeText(int length, IntUnaryOperator at) {
    int control = 0;
    for (int i = 0; i < length; i++) {
      int c = at.applyAsInt(i);
      if (c == 0) {
        return false;
      }
      // ESC starts the colour codes of terminal logs: text all the same.
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x0C && c != 0x1B) {
        control++;
      }
    }
    return control * 100 <= length;
  }

  private static String extension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash + 1 ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
