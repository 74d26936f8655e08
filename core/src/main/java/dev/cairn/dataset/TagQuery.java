package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which versions a list of tags asks for, read as clearml reads one: a version carrying any of the
 * tags matches; {@code __$all} (or {@code __$and}) first asks for all of them instead; a tag
 * written {@code -t}, or {@code t} after {@code __$not}, must not be carried. No tags: every version.
 */
public final class TagQuery {
  private final List<String> wanted;
  private final List<String> excluded;
  private final boolean all;

  private TagQuery(List<String> wanted, List<String> excluded, boolean all) {
    this.wanted = List.copyOf(wanted);
    this.excluded = List.copyOf(excluded);
    this.all = all;
  }

  /** Every version. */
  public static final TagQuery ANY = new TagQuery(List.of(), List.of(), false);

  /**
   * Reads {@code tags} (null or empty: {@link #ANY}).
   *
   * @throws InvalidInputException for an operator other than a leading {@code __$all},
   *     {@code __$and}, {@code __$any} or {@code __$or}, or {@code __$not} before a tag
   */
  public static TagQuery parse(List<String> tags) throws InvalidInputException {
    if (tags == null || tags.isEmpty()) {
      return ANY;
    }
    List<String> wanted = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    boolean all = false;
    for (int i = 0; i < tags.size(); i++) {
      String t = Objects.requireNonNull(tags.get(i), "a tag must not be null");
      if (t.equals("__$not")) {
        if (i + 1 == tags.size() || tags.get(i + 1).startsWith("__$")) {
          throw new InvalidInputException("Cannot use tags " + tags + ": __$not must come before a tag");
        }
        excluded.add(tags.get(++i));
      } else if (t.startsWith("__$")) {
        boolean leading = i == 0;
        if (leading && (t.equals("__$all") || t.equals("__$and"))) {
          all = true;
        } else if (!leading || !(t.equals("__$any") || t.equals("__$or"))) {
          throw new InvalidInputException("Cannot use tags " + tags + ": " + t + " is understood only first (__$all, __$and, __$any,"
              + " __$or), or before a tag (__$not)");
        }
      } else if (t.length() > 1 && t.startsWith("-")) {
        excluded.add(t.substring(1));
      } else if (!t.isEmpty()) {
        wanted.add(t);
      }
    }
    return new TagQuery(wanted, excluded, all);
  }

  /** Whether the query asks nothing of a version's tags: it matches every version. */
  public boolean isEmpty() {
    return wanted.isEmpty() && excluded.isEmpty();
  }

  /** The tags a version must carry (any or all of them), in the order given: those a version made for the query takes. */
  public List<String> wanted() {
    return wanted;
  }

  /** Whether a version carrying {@code tags} is asked for. */
  public boolean matches(Collection<String> tags) {
    Set<String> carried = Set.copyOf(tags);
    if (excluded.stream().anyMatch(carried::contains)) {
      return false;
    }
    if (wanted.isEmpty()) {
      return true;
    }
    return all ? carried.containsAll(wanted) : wanted.stream().anyMatch(carried::contains);
  }

  @Override
  public String toString() {
    return (all ? "all of " : "any of ") + wanted + (excluded.isEmpty() ? "" : ", none of " + excluded);
  }
}
