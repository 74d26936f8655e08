package dev.cairn.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose} on commands that change no paths (clearml-data takes it on upload, close, get,
 * verify and squash): each step is said on stderr with its size and time, instead of a progress bar.
 */
final class StepsOption {
  @Option(names = "--verbose", description = "Say each step (what is hashed, uploaded, fetched, written or checked) on stderr, with its"
      + " size and time.")
  boolean verbose;
}
