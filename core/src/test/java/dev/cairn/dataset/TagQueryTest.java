package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagQueryTest {
  static boolean matches(List<String> query, String... carried) throws InvalidInputException {
    return TagQuery.parse(query).matches(List.of(carried));
  }

  @Test
  void anyTagByDefaultAllAfterALeadingAllAndNoneOfTheExcluded() throws InvalidInputException {
    assertThat(matches(List.of("a", "b"), "b")).isTrue();
    assertThat(matches(List.of("a", "b"), "c")).isFalse();
    assertThat(matches(List.of("__$all", "a", "b"), "b")).isFalse();
    assertThat(matches(List.of("__$and", "a", "b"), "a", "b", "c")).isTrue();
    assertThat(matches(List.of("__$or", "a", "b"), "b")).isTrue();
    assertThat(matches(List.of("-a"), "b")).isTrue();
    assertThat(matches(List.of("-a"), "a", "b")).isFalse();
    assertThat(matches(List.of("b", "__$not", "a"), "a", "b")).isFalse();
    assertThat(matches(List.of(), "x")).isTrue();
    assertThat(matches(null)).isTrue();
    assertThat(TagQuery.parse(List.of("", "")).isEmpty()).isTrue();
  }

  @Test
  void operatorsItDoesNotReadAreRefused() {
    assertThatThrownBy(() -> TagQuery.parse(List.of("a", "__$all"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("__$all is understood only first");
    assertThatThrownBy(() -> TagQuery.parse(List.of("a", "__$not"))).hasMessageContaining("__$not must come before a tag");
    assertThatThrownBy(() -> TagQuery.parse(List.of("__$nor", "a"))).hasMessageContaining("__$nor");
  }
}
