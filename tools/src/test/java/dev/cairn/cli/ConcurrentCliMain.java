package dev.cairn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * One of the processes of {@link ConcurrencyTest}: creates a version of the shared dataset, adds
 * its own file, closes it (uploading to the remote), and prints the version's id.
 * Arguments: repository, remote, writer number, scratch folder.
 */
public final class ConcurrentCliMain {
  public static void main(String[] args) throws Exception {
    String repo = args[0];
    String remote = args[1];
    int writer = Integer.parseInt(args[2]);
    Path src = Path.of(args[3]).resolve("writer-" + writer);
    Files.createDirectories(src);
    byte[] data = new byte[40_000 + writer];
    new Random(writer).nextBytes(data);
    Files.write(src.resolve("w" + writer + ".bin"), data);
    String id = run("--repo", repo, "create", "--project", "shared", "--name", "ds", "--storage", remote, "--json")
        .replaceAll("(?s).*\"id\": \"([0-9a-f]{32})\".*", "$1");
    run("--repo", repo, "add", "--id", id, "--files", src.toString());
    run("--repo", repo, "close", "--id", id);
    System.out.println(id);
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    if (code != 0) {
      System.err.println("failed: " + String.join(" ", args) + ": " + err);
      System.exit(code);
    }
    return out.toString();
  }
}
