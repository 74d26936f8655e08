package dev.cairn.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help}, mixed into every command (picocli's standard mixin adds {@code --version} too). */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
