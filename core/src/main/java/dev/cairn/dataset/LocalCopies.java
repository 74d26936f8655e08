package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.ObjectId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Writable copies and symbolic links to cached copies. */
final class LocalCopies {
  private LocalCopies() {}

  static Path mutableCopy(DatasetRepository repo, ObjectId root, Path target, boolean overwrite, Selection selection,
      Progress progress) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException("Cannot copy into " + target + ": it is not a folder");
      }
      boolean empty;
      try (Stream<Path> s = Files.list(target)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty) {
        if (!overwrite) {
          throw new InvalidInputException("Cannot copy into " + target + ": the folder is not empty (use --overwrite to replace its contents)");
        }
        try (Stream<Path> s = Files.list(target)) {
          for (Path p : s.toList()) {
            LocalCache.deleteTree(p);
          }
        }
      }
    }
    Files.createDirectories(target);
    repo.cache().writeFiles(root, selection, target, false, progress);
    return target;
  }

  static Path link(Path cached, Path link, boolean overwrite) throws IOException {
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    } else if (Files.exists(link)) {
      boolean empty = false;
      if (Files.isDirectory(link)) {
        try (Stream<Path> s = Files.list(link)) {
          empty = s.findAny().isEmpty();
        }
      }
      if (!empty && !overwrite) {
        throw new InvalidInputException("Cannot link " + link + ": it exists (use --overwrite to replace it)");
      }
      LocalCache.deleteTree(link);
    }
    if (link.toAbsolutePath().getParent() != null) {
      Files.createDirectories(link.toAbsolutePath().getParent());
    }
    Files.createSymbolicLink(link, cached.toAbsolutePath());
    return link;
  }
}
