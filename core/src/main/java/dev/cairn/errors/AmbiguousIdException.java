package dev.cairn.errors;

import java.util.List;

/** An id prefix matches several dataset versions or objects. */
public class AmbiguousIdException extends CairnException {
  private final List<String> candidates;

  public AmbiguousIdException(String prefix, List<String> candidates) {
    super("Cannot resolve id: prefix '" + prefix + "' matches " + candidates.size() + " versions ("
        + String.join(", ", candidates.subList(0, Math.min(4, candidates.size()))) + (candidates.size() > 4 ? ", ..." : "") + "); give more digits");
    this.candidates = List.copyOf(candidates);
  }

  public List<String> candidates() {
    return candidates;
  }
}
