package dev.cairn.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Property(tries = 500)
  void anyStringSurvivesARoundTrip(@ForAll String s) throws JsonException {
    assertThat(Json.parse(Json.write(List.of(s, Map.of("k", s))))).isEqualTo(List.of(s, Map.of("k", s)));
  }

  @Test
  void aMapWithoutAnOrderOfItsOwnIsWrittenByKeySoEveryRunPrintsTheSameBytes() {
    // Map.of iterates in an order salted per JVM run: a command printed its keys shuffled.
    assertThat(Json.write(Map.of("state", "final", "id", "ab", "description", "x", "zeta", 1)))
        .isEqualTo("{\"description\":\"x\",\"id\":\"ab\",\"state\":\"final\",\"zeta\":1}");
    assertThat(Json.write(Json.object("state", "final", "id", "ab", "none", null))).isEqualTo("{\"state\":\"final\",\"id\":\"ab\",\"none\":null}");
  }

  @Test
  void stringsAndNumbersAreWrittenTheOneWaySpecDatasetsMdGives() {
    // These bytes are hashed into version ids: each escape, and each one left out, is part of the format.
    String s = "q\" b\\ n\n r\r t\t c\u0001\u001f ls\u2028 ps\u2029 lone\ud800 / del\u007f é 😀";
    assertThat(Json.write(List.of(s))).isEqualTo(
        "[\"q\\\" b\\\\ n\\n r\\r t\\t c\\u0001\\u001f ls\\u2028 ps\\u2029 lone\\ud800 / del\u007f é 😀\"]");
    assertThat(Json.write(List.of(0L, -12L, 0.5, 1e21, Double.NaN, true, false))).isEqualTo("[0,-12,0.5,1.0E21,null,true,false]");
  }

  @Test
  void stringsWithAndWithoutEscapesParse() throws JsonException {
    assertThat(Json.parse("[\"plain\", \"a\\\"b\", \"tab\\there\", \"\\u00e9t\\u00e9\", \"\", \"x\\\\\"]"))
        .isEqualTo(List.of("plain", "a\"b", "tab\there", "été", "", "x\\"));
  }

  @Test
  void malformedStringsAreRefused() {
    assertThatThrownBy(() -> Json.parse("\"raw\ttab\"")).isInstanceOf(JsonException.class).hasMessageContaining("control character");
    assertThatThrownBy(() -> Json.parse("\"open")).isInstanceOf(JsonException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Json.parse("\"a\\q\"")).isInstanceOf(JsonException.class).hasMessageContaining("bad escape");
  }
}
