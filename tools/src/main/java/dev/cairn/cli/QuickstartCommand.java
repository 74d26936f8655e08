package dev.cairn.cli;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RecordFormat;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.internal.fs.Trees;
import dev.cairn.manifest.DiffEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cairn quickstart}: the whole workflow on an embedded demo repository, nothing to start:
 * a version, a child with edits, a second parent, a merged version, their comparison and lineage.
 */
@Command(name = "quickstart", description = "Run a demo: versions, a child, a merge, a compare and the lineage, on a demo repository. The "
    + "demo repository is cairn-quickstart in Java's temporary folder (java.io.tmpdir, /tmp by default), made anew at each run (a folder there that is not "
    + "a Cairn repository is refused, never deleted); "
    + "$CAIRN_HOME is not used. With --repo, the demo's four versions are added to that repository "
    + "instead, at each run.")
final class QuickstartCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin HelpOption help;

  @ParentCommand CairnCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    boolean own = parent.repo == null;
    Path repoDir = own ? Path.of(System.getProperty("java.io.tmpdir"), "cairn-quickstart") : parent.repo;
    if (own) {
      requireDemoOrAbsent(repoDir);
      Trees.delete(repoDir);
    }
    // The demo's source files, in a folder of its own, gone at the end.
    Path work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cairn-quickstart-work-");
    try (DatasetRepository repo = DatasetRepository.open(repoDir)) {
      out.printf("Demo repository: %s%n%n", repo.repository().directory());

      Path images = work.resolve("images");
      writeImages(images, 0, 40);
      Dataset v1 = Dataset.create(repo, CreateOptions.of(DEMO_PROJECT, "pets").tags("raw").description("40 generated images and labels").build());
      v1.addFiles(AddOptions.of(images).datasetFolder("images"));
      Files.writeString(work.resolve("labels.csv"), labels(0, 40), StandardCharsets.UTF_8);
      v1.addFiles(AddOptions.of(work.resolve("labels.csv")));
      v1.close();
      step(out, "1. created pets " + v1.version(), v1);

      Dataset v2 = Dataset.create(repo, CreateOptions.of(DEMO_PROJECT, "pets").parents(v1.id()).description("10 more images, one relabelled, one dropped").build());
      writeImages(images, 40, 50);
      Files.delete(images.resolve("img007.bin"));
      Files.writeString(work.resolve("labels.csv"), labels(0, 50).replace("img003.bin,cat", "img003.bin,dog"), StandardCharsets.UTF_8);
      v2.syncFolder(images, "images", Progress.NONE);
      v2.addFiles(AddOptions.of(work.resolve("labels.csv")));
      v2.close();
      step(out, "2. child pets " + v2.version() + " (only its change-set is stored)", v2);

      Path extra = work.resolve("extra");
      writeImages(extra.resolve("images"), 100, 110);
      Files.writeString(extra.resolve("labels.csv"), labels(100, 110), StandardCharsets.UTF_8);
      Dataset other = Dataset.create(repo, CreateOptions.of(DEMO_PROJECT, "pets-extra").description("a second source").build());
      other.addFiles(AddOptions.of(extra));
      other.close();
      step(out, "3. second parent pets-extra " + other.version(), other);

      Dataset merged = Dataset.create(repo, CreateOptions.of(DEMO_PROJECT, "pets-merged").parents(v2.id(), other.id()).build());
      merged.close();
      step(out, "4. merged version of both parents (its change-set is counted against the parents merged: nothing new)", merged);
      if (!merged.record().conflicts().isEmpty()) {
        out.printf("   %s, the later parent won: %s%n", Format.count(merged.record().conflicts().size(), "conflict"),
            merged.record().conflicts().get(0).path());
      }

      out.printf("%nCompare pets %s -> %s:%n", v1.version(), v2.version());
      // Modifications and removals first: the few that tell the story, before the run of additions.
      List<DiffEntry> changes = new ArrayList<>(v2.compare(v1));
      changes.sort(Comparator.comparing((DiffEntry d) -> d.type() == DiffEntry.ChangeType.ADDED));
      for (DiffEntry d : changes.subList(0, Math.min(SHOWN, changes.size()))) {
        out.printf("   %-8s %s%n", d.type().name().toLowerCase(Locale.ROOT), d.path());
      }
      out.printf("   (%s%s)%n", changes.size() > SHOWN ? "the first " + SHOWN + " of " : "", Format.count(changes.size(), "change"));

      out.printf("%nLineage of the merged version:%n");
      for (Map.Entry<String, List<String>> e : merged.dependencyGraph().entrySet()) {
        DatasetRecord r = repo.get(e.getKey()).record();
        out.printf("   %s  %-12s %-6s <- %s%n", r.shortId(), r.name(), r.version(),
            e.getValue().isEmpty() ? "(no parents)" : String.join(", ", e.getValue().stream().map(DatasetRecord::shortId).toList()));
      }
      Path copy = merged.getLocalCopy();
      out.printf("%nCached read-only copy of the merged version: %s%n", copy);
      // The command as it was run (bin/cairn names itself), so that the lines work from any folder.
      String r = System.getProperty("cairn.launcher", "cairn") + " --repo " + repo.repository().directory();
      out.printf("%nLook around:%n");
      out.printf("   %s search%n", r);
      out.printf("   %s list --id %s%n", r, merged.shortId());
      out.printf("   %s show --id %s%n", r, merged.shortId());
      out.printf("   %s log --id %s%n", r, v2.shortId());
      out.printf("   %s compare --source %s --target %s%n", r, v1.shortId(), v2.shortId());
      out.printf("   %s serve        # the web UI%n", r);
    } finally {
      Trees.deleteQuietly(work); // never in place of the error that ended the demo
    }
    return 0;
  }

  /**
   * Whether {@code dir} holds only what a Cairn repository holds, with a config of Cairn's if any
   * (a demo killed before it wrote its config has none).
   */
  private static final String DEMO_PROJECT = "demo";

  private static boolean isCairnsOnly(Path dir) throws IOException {
    Set<String> own = Set.of("config", "packs", "index", "refs", "tmp", "cache", "runs", "remotes", "lost-found");
    try (var s = Files.list(dir)) {
      if (!s.allMatch(p -> own.contains(p.getFileName().toString()))) {
        return false;
      }
    }
    Path config = dir.resolve("config");
    try {
      if (Files.exists(config) && !(Files.isRegularFile(config) && Files.readString(config).contains("core.formatVersion"))) {
        return false;
      }
      // And only the demo's datasets: a repository someone keeps there is theirs.
      Path records = dir.resolve("refs").resolve("datasets");
      if (Files.isDirectory(records)) {
        try (var s = Files.list(records)) {
          for (Path r : s.toList()) {
            if (!r.toString().endsWith(".json")
                || !RecordFormat.decode(Files.readString(r), r.toString()).project().equals(DEMO_PROJECT)) {
              return false;
            }
          }
        }
      }
      return true;
    } catch (CharacterCodingException | CorruptObjectException notTheDemos) {
      return false;
    }
  }

  /**
   * Refuses to make the demo anew in a folder that is not an earlier demo's: one holding
   * anything but a Cairn repository is someone's, and is never deleted.
   */
  private static void requireDemoOrAbsent(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    boolean empty;
    try (var s = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Files.list(dir) : null) {
      empty = s != null && s.findAny().isEmpty();
    }
    if (!empty && (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !isCairnsOnly(dir))) {
      throw new InvalidInputException("Cannot make the demo repository at " + dir + ": something that is not a"
          + " Cairn repository is there; move it away, or give another place with --repo");
    }
  }

  /** Changes of the comparison printed. */
  private static final int SHOWN = 8;

  private static void step(PrintWriter out, String title, Dataset ds) throws IOException {
    DatasetRecord r = ds.record();
    out.printf("%s%n   id %s, %s, %s; change-set +%d ~%d -%d, %s newly stored%n", title, r.id(), Format.count(r.fileCount(), "file"),
        Format.bytes(r.totalBytes()), r.summary().added(), r.summary().modified(), r.summary().removed(), Format.bytes(r.storedBytes()));
  }

  private static void writeImages(Path dir, int from, int to) throws IOException {
    Files.createDirectories(dir);
    for (int i = from; i < to; i++) {
      Random r = new Random(i);
      byte[] img = new byte[8_000 + r.nextInt(24_000)];
      r.nextBytes(img);
      Files.write(dir.resolve(String.format("img%03d.bin", i)), img);
    }
  }

  private static String labels(int from, int to) {
    StringBuilder sb = new StringBuilder("image,label\n");
    for (int i = from; i < to; i++) {
      sb.append(String.format("img%03d.bin,%s%n", i, i % 3 == 0 ? "cat" : "dog"));
    }
    return sb.toString();
  }

}
