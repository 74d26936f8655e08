package dev.cairn.cli;

import dev.cairn.internal.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real command line in-process against one repository and captures what it prints. */
final class Cli {
  final Path repo;

  Cli(Path repo) {
    this.repo = repo;
  }

  record Result(int exit, String out, String err) {
    Object json() {
      try {
        return Json.parse(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + e.getMessage() + "): " + out + err);
      }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> obj() {
      return (Map<String, Object>) json();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> array() {
      return (List<Map<String, Object>>) json();
    }

    /** The last line printed on stdout. */
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs a command that must succeed. */
  Result ok(String... args) {
    Result r = run(args);
    if (r.exit() != 0) {
      throw new AssertionError("cairn " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.err() + r.out());
    }
    return r;
  }

  /** Runs a command that must fail with one line on stderr. */
  Result fails(String... args) {
    Result r = run(args);
    if (r.exit() == 0) {
      throw new AssertionError("cairn " + String.join(" ", args) + " should have failed: " + r.out());
    }
    if (r.err().strip().lines().count() != 1 || !r.err().startsWith("cairn: ") || r.err().contains("\tat ")) {
      throw new AssertionError("expected one error line, got: " + r.err());
    }
    return r;
  }
}
