package dev.cairn.errors;

import java.nio.file.Path;

/** No Cairn repository exists at a path that was expected to hold one. */
public class RepositoryNotFoundException extends CairnException {
  public RepositoryNotFoundException(Path path) {
    super("Cannot open repository: no Cairn repository at " + path);
  }

  /** With a hint on where repositories come from. */
  public RepositoryNotFoundException(Path path, String hint) {
    super("Cannot open repository: no Cairn repository at " + path + " (" + hint + ")");
  }
}
