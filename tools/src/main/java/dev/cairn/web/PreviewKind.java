package dev.cairn.web;

import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import java.util.Locale;

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

  /** Whether the bytes look like text: valid-looking UTF-8 without NUL bytes. */
  static boolean looksLikeText(byte[] head, int length) {
    int control = 0;
    for (int i = 0; i < length; i++) {
      int b = head[i] & 0xFF;
      if (b == 0) {
        return false;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != 0x0C) {
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
