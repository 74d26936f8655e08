package dev.cairn.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first bytes each image format the preview shows starts with (its "magic number"), so that a
 * file named as an image but holding something else is said to be that instead of shown as a
 * broken image. SVG is text, so only its being text is checked.
 */
final class ImageSignature {
  /** How many bytes the check reads. */
  static final int HEAD_BYTES = 512;

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final byte[] ICO = {0, 0, 1, 0};

  private ImageSignature() {}

  /** Whether {@code head}, the first {@code length} bytes of a file of media type {@code type}, starts as that format does. */
  static boolean matches(String type, byte[] head, int length) {
    return switch (type) {
      case "image/png" -> startsWith(head, length, 0, PNG);
      case "image/jpeg" -> startsWith(head, length, 0, JPEG);
      case "image/gif" -> startsWith(head, length, 0, ascii("GIF87a")) || startsWith(head, length, 0, ascii("GIF89a"));
      case "image/webp" -> startsWith(head, length, 0, ascii("RIFF")) && startsWith(head, length, 8, ascii("WEBP"));
      case "image/bmp" -> startsWith(head, length, 0, ascii("BM"));
      case "image/x-icon" -> startsWith(head, length, 0, ICO);
      case "image/avif" -> startsWith(head, length, 4, ascii("ftyp")); // an ISO media file; its brands name AVIF
      case "image/svg+xml" -> PreviewKind.looksLikeText(head, length);
      default -> false;
    };
  }

  /**
   * As {@link #matches}, and, for a file read whole (no larger than {@link #HEAD_BYTES}), that it
   * also ends as the format ends: a PNG has its IEND chunk, a JPEG its end-of-image marker, a GIF
   * its trailer. A file
   * cut after its first bytes is then said to be no image rather than shown broken.
   */
  static boolean matches(String type, byte[] head, int length, boolean whole) {
    if (!matches(type, head, length)) {
      return false;
    }
    if (!whole) {
      return true;
    }
    return switch (type) {
      case "image/png" -> length >= 12 && Arrays.equals(head, length - 8, length - 4, ascii("IEND"), 0, 4);
      case "image/jpeg" -> length >= 4 && (head[length - 2] & 0xFF) == 0xFF && (head[length - 1] & 0xFF) == 0xD9;
      // Header, logical screen descriptor, then the trailer byte ';' at the very end.
      case "image/gif" -> length >= 14 && head[length - 1] == ';';
      default -> true;
    };
  }

  /** The format's name as a person says it: {@code PNG}, {@code JPEG}, {@code SVG}. */
  static String formatName(String type) {
    String subtype = type.substring(type.indexOf('/') + 1);
    return switch (subtype) {
      case "svg+xml" -> "SVG";
      case "x-icon" -> "ICO";
      case "webp" -> "WebP";
      default -> subtype.toUpperCase(java.util.Locale.ROOT);
    };
  }

  private static boolean startsWith(byte[] head, int length, int at, byte[] signature) {
    return length >= at + signature.length && Arrays.equals(head, at, at + signature.length, signature, 0, signature.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
