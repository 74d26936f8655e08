package dev.cairn.dataset;

import java.util.List;

/**
 * A path that two or more parents hold with different content. The last parent listed wins.
 *
 * @param parents the ids of the parents that held the path in turn, in parent order; the last one
 *     won: the version holds its content or its deletion (a parent after the conflict that changed
 *     the path without disagreeing, one unrelated to the others that adds it back, is listed too)
 */
public record Conflict(String path, List<String> parents) {
  public Conflict {
    parents = List.copyOf(parents);
  }

  /**
   * The parent whose side the version took: its content, or its deletion of the path (in a
   * three-way merge, a path one side deleted and the other changed).
   */
  public String winner() {
    return parents.get(parents.size() - 1);
  }
}
