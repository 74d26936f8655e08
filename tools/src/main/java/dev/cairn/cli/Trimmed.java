package dev.cairn.cli;

import picocli.CommandLine;

/**
 * A tag as typed in a list ({@code --tags "raw, gold"}): without the spaces around it, which a tag
 * never holds (an all-space tag becomes empty, and is refused as such).
 */
final class Trimmed implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    return value.strip();
  }
}
