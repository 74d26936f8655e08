package dev.cairn.dataset;

import dev.cairn.internal.io.Text;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a lookup by name that found nothing probably meant, as Git's "did you mean": the same name
 * in another project, a name a typo or two away, or, for a version string the dataset lacks, its
 * highest version. Said after the not-found message; "" when nothing is close.
 */
final class NameSuggestion {
  /** Edits (insert, delete, replace, swap) a typo may take: two, and no more than a third of the name. */
  private static final int MAX_EDITS = 2;

  private NameSuggestion() {}

  /**
   * "; did you mean p/n?", "; the highest version of p/n is 1.0.2", or "": the suggestion for a
   * lookup of {@code project}/{@code name} (project null: any) at {@code version} (null: any)
   * among {@code records}.
   */
  static String of(List<DatasetRecord> records, String project, String name, String version) {
    List<DatasetRecord> dataset = records.stream()
        .filter(r -> r.name().equals(name) && (project == null || r.project().equals(project))).toList();
    if (!dataset.isEmpty()) {
      DatasetRecord top = dataset.stream().max(Comparator.comparing(DatasetRecord::version, VersionStrings.ORDER)).orElseThrow();
      return version == null ? "" : "; the highest version of " + label(top) + " is " + top.version();
    }
    int allowed = Math.min(MAX_EDITS, Math.max(1, name.length() / 3));
    DatasetRecord best = null;
    int bestScore = Integer.MAX_VALUE;
    for (DatasetRecord r : records) {
      int score;
      if (r.name().equals(name)) {
        // Another project's dataset of that very name: before any typo of another project's, and
        // before one in the same project unless the projects differ by more than a typo.
        score = project == null ? Integer.MAX_VALUE : 2 * (1 + Math.min(distance(r.project(), project), MAX_EDITS));
      } else {
        String candidate = r.name().toLowerCase(Locale.ROOT);
        String typed = name.toLowerCase(Locale.ROOT);
        int d = distance(candidate, typed);
        d = d == 0 ? 1 : d; // another case only: one edit
        boolean sameProject = project == null || r.project().equals(project);
        // Between names as many edits away, one that begins with the typed name, or the typed name
        // with it (pet: pets before pat), comes first: the name cut short, or in the singular.
        boolean cutShort = candidate.startsWith(typed) || typed.startsWith(candidate);
        score = d <= allowed ? 2 * (d + (sameProject ? 0 : MAX_EDITS + 1)) + (cutShort ? 0 : 1) : Integer.MAX_VALUE;
      }
      if (score < bestScore || (score == bestScore && best != null && label(r).compareTo(label(best)) < 0)) {
        bestScore = score;
        best = r;
      }
    }
    return best == null || bestScore == Integer.MAX_VALUE ? "" : "; did you mean " + label(best) + "?";
  }

  private static String label(DatasetRecord r) {
    return DatasetRepository.label(r.project(), r.name());
  }

  static int distance(String a, String b) {
    return Text.editDistance(Objects.requireNonNull(a), Objects.requireNonNull(b));
  }
}
