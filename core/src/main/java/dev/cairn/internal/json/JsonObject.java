package dev.cairn.internal.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to a parsed JSON object, with errors that name the missing or mistyped field. */
public final class JsonObject {
  private final Map<String, Object> map;

  public JsonObject(Map<String, Object> map) {
    this.map = map;
  }

  public static JsonObject parse(String text) throws JsonException {
    return new JsonObject(Json.parseObject(text));
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public String string(String key) throws JsonException {
    Object v = map.get(key);
    if (!(v instanceof String s)) {
      throw new JsonException("field '" + key + "' is not a string");
    }
    return s;
  }

  public String stringOr(String key, String fallback) throws JsonException {
    return has(key) ? string(key) : fallback;
  }

  public long number(String key) throws JsonException {
    Object v = map.get(key);
    if (!(v instanceof Long l)) {
      throw new JsonException("field '" + key + "' is not an integer");
    }
    return l;
  }

  public long numberOr(String key, long fallback) throws JsonException {
    return has(key) ? number(key) : fallback;
  }

  public boolean bool(String key, boolean fallback) throws JsonException {
    if (!has(key)) {
      return fallback;
    }
    Object v = map.get(key);
    if (!(v instanceof Boolean b)) {
      throw new JsonException("field '" + key + "' is not a boolean");
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  public List<Object> list(String key) throws JsonException {
    if (!has(key)) {
      return List.of();
    }
    Object v = map.get(key);
    if (!(v instanceof List)) {
      throw new JsonException("field '" + key + "' is not an array");
    }
    return (List<Object>) v;
  }

  public List<String> strings(String key) throws JsonException {
    List<String> out = new ArrayList<>();
    for (Object o : list(key)) {
      if (!(o instanceof String s)) {
        throw new JsonException("field '" + key + "' holds a non-string");
      }
      out.add(s);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  public JsonObject object(String key) throws JsonException {
    if (!has(key)) {
      return new JsonObject(Map.of());
    }
    Object v = map.get(key);
    if (!(v instanceof Map)) {
      throw new JsonException("field '" + key + "' is not an object");
    }
    return new JsonObject((Map<String, Object>) v);
  }

  public Map<String, Object> asMap() {
    return map;
  }
}
