package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A source to add that does not exist but holds wildcard characters ({@code data/a/*.jpg}, quoted
 * so that no shell expanded it), read as clearml-data reads it: the longest leading part without
 * wildcards is the folder to scan ({@code data/a}), the rest a pattern relative to it
 * ({@code *.jpg}) that selects files as {@code --wildcard} does, and a matching folder its files.
 * The files keep their paths relative to that folder.
 *
 * @param given the source as given, for messages
 * @param folder the folder to scan
 * @param glob the pattern, relative to {@code folder}
 */
record SourcePattern(Path given, Path folder, Glob glob) {

  /** The pattern {@code source} stands for, or null if it exists or is no (well-formed) pattern. */
  static SourcePattern of(Path source) {
    if (Files.exists(source, LinkOption.NOFOLLOW_LINKS) || !Glob.hasWildcard(source.toString())) {
      return null;
    }
    Path folder = source.getRoot();
    List<String> rest = new ArrayList<>();
    for (Path name : source) {
      if (rest.isEmpty() && !Glob.hasWildcard(name.toString())) {
        folder = folder == null ? name : folder.resolve(name);
      } else {
        rest.add(name.toString());
      }
    }
    try {
      Glob g = Glob.parseFilter("pattern", String.join("/", rest));
      return new SourcePattern(source, folder == null ? Path.of("").toAbsolutePath() : folder, g);
    } catch (InvalidInputException e) {
      return null; // a missing file with a stray '[' in its name: "no such file" says it better
    }
  }

  /**
   * The files of {@code folder} that match, found by {@code scanner} as for a folder given as is.
   *
   * @throws InvalidInputException if none matches
   */
  List<SourceFile> scan(FolderScanner scanner, String datasetFolder, boolean recursive, List<Glob> wildcards) throws IOException {
    List<SourceFile> out = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      int prefix = datasetFolder.isEmpty() ? 0 : datasetFolder.length() + 1;
      // Without --wildcard, the pattern is the scan's own filter: names it rejects are not even
      // checked (one that is not valid UTF-8 does not stop the add).
      scanner.scan(folder, datasetFolder, recursive, wildcards.isEmpty() ? List.of(glob) : wildcards, f -> {
        if (glob.matches(f.datasetPath().substring(prefix))) {
          out.add(f);
        }
      });
    }
    if (out.isEmpty()) {
      throw new InvalidInputException("Cannot add '" + given + "': no file matches");
    }
    return out;
  }
}
