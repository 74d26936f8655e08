package dev.cairn.cli;

import picocli.CommandLine;

/**
 * An item of a list as typed ({@code --tags "raw, gold"}, {@code --ids "A, B"}): without the spaces
 * around it, which no tag or id holds (an all-space tag becomes empty, and is refused as such).
 */
final class Trimmed implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    return value.strip();
  }
}
