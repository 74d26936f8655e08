package dev.cairn.cli;

import dev.cairn.dataset.ArchiveIo;
import dev.cairn.dataset.Dataset;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.internal.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", description = "Write a version as a .zip, .tar, .tar.gz (.tgz) or .tar.zst (.tzst) archive (streamed); the extension (of any letter case) picks the format.")
final class ExportCommand extends Base {
  @Mixin VersionSelector selector;

  @Mixin SelectionOptions select;

  @Option(names = "--output", paramLabel = "FILE", required = true, description = "The archive to write; the extension picks the format (a device or named pipe is fed the archive, never replaced).")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", description = "zip, tar, tar.gz (tgz) or tar.zst (tzst): for an --output whose name"
      + " has no such extension (a device such as /dev/null, a pipe); one whose extension names another format is refused.")
  String format;

  @Option(names = "--overwrite", description = "Replace the file at --output if there is one (through a symbolic link: the file it names; without it, an existing file is refused).")
  boolean overwrite;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch the version's record and manifest from this remote if they are not"
      + " local (its files come as needed); with --name, the remote's highest version.")
  String storage;

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  boolean readsOnly() {
    return true;
  }

  @Override
  int run() throws Exception {
    ArchiveIo.Format chosen = chosenFormat();
    Dataset ds = selectOrFetch(selector, storage);
    try {
      ds.export(output, chosen, overwrite, select.selection("export"), progress());
    } catch (IOException | RuntimeException e) {
      throw namingDestination(e, output);
    }
    if (json) {
      printJson(Json.object("id", ds.id(), "path", output.toAbsolutePath().toString()));
    } else {
      out().println(output.toAbsolutePath());
    }
    return 0;
  }

  /** {@code --format}'s, checked against the name's extension; null when not given (the extension's). */
  private ArchiveIo.Format chosenFormat() throws InvalidInputException {
    if (output.toString().equals("-")) {
      // Not taken for a file named "-": standard output is named as the file it is.
      throw new InvalidInputException("Cannot export to -: give a file name, or /dev/stdout with --format for standard output");
    }
    ArchiveIo.Format named;
    try {
      named = ArchiveIo.Format.of(output);
    } catch (InvalidInputException noExtension) {
      if (format == null) {
        throw new InvalidInputException(noExtension.getMessage() + " (or --format, for a device or pipe)");
      }
      return ArchiveIo.Format.named(format);
    }
    if (format != null && ArchiveIo.Format.named(format) != named) {
      throw new InvalidInputException("Cannot export: --format " + format + " and the name " + output.getFileName()
          + " say different formats");
    }
    return named;
  }
}
