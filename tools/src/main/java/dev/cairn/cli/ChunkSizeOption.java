package dev.cairn.cli;

import dev.cairn.errors.InvalidInputException;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --chunk-size}, as clearml-data takes it: clearml uploads zip files of that many MB, Cairn
 * packs of about that size.
 */
final class ChunkSizeOption {
  static final String NAME = "--chunk-size";

  @Option(names = NAME, paramLabel = "MB", description = "Upload in packs of about MB MiB each (-1: as few packs as"
      + " possible; default: 64, or the repository's pack.targetSize).")
  Long megabytes;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /** The pack size to give a push: 0 for the repository's, {@link Long#MAX_VALUE} for -1. */
  long packTargetBytes() throws IOException {
    if (megabytes == null) {
      return 0;
    }
    if (megabytes == -1) {
      return Long.MAX_VALUE;
    }
    if (megabytes < 1 || megabytes > (Long.MAX_VALUE >> 20)) {
      throw new ParameterException(command.commandLine(), "Cannot use " + NAME + " " + megabytes + ": give a size in MiB from 1 to "
          + (Long.MAX_VALUE >> 20) + ", or -1 for as few packs as possible");
    }
    return megabytes << 20;
  }

  /** Refuses a size given for an upload that will not happen: {@code remote} is where the command uploads, or null. */
  void requireRemote(String verb, String remote) throws IOException {
    if (megabytes != null && remote == null) {
      throw new InvalidInputException("Cannot " + verb + ": " + NAME + " sizes an upload, and there is no remote to"
          + " upload to (give --storage, or set CAIRN_STORAGE)");
    }
  }
}
