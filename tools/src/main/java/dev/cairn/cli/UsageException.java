package dev.cairn.cli;

import dev.cairn.errors.InvalidInputException;

/**
 * A command line that parses but whose options do not go together (two that exclude each other,
 * one that needs another): it exits 2, as one that does not parse, and changes nothing.
 */
final class UsageException extends InvalidInputException {
  UsageException(String message) {
    super(message);
  }
}
