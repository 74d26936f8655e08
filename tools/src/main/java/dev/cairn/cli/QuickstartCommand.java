package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.store.FileContent;
import dev.cairn.store.InsertStats;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn quickstart}: a demo on an embedded repository, with nothing to install or start. */
@Command(name = "quickstart", description = "Create a demo repository, store a generated sample dataset and show what was stored.")
final class QuickstartCommand implements Callable<Integer> {
  @ParentCommand CairnCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path repoDir = parent.repo != null ? parent.repo : Path.of(System.getProperty("java.io.tmpdir"), "cairn-quickstart");
    Path sample = repoDir.resolveSibling(repoDir.getFileName() + "-sample");
    generateSample(sample);
    try (Repository repo = Repository.openOrCreate(repoDir, RepositoryConfig.DEFAULT);
        ObjectInserter ins = repo.objects().newInserter()) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(sample)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      List<FileEntry> entries = new ArrayList<>();
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          FileContent c = ins.insertFile(in);
          String rel = sample.relativize(f).toString().replace('\\', '/');
          entries.add(FileEntry.file(rel, c, false));
        }
      }
      entries.sort((a, b) -> dev.cairn.manifest.DatasetPaths.compare(a.path(), b.path()));
      ObjectId root = Manifest.build(ins, entries);
      ins.flush();
      InsertStats st = ins.stats();
      out.printf("Repository:  %s (object format %s)%n", repo.directory(), repo.config().objectFormat().configName());
      out.printf("Sample:      %s (%d files)%n", sample, files.size());
      out.printf("Manifest:    %s%n", root.hex());
      out.printf("Stored:      %d new objects, %d raw bytes as %d packed bytes; %d objects already present%n",
          st.objectsWritten(), st.rawBytesWritten(), st.storedBytesWritten(), st.objectsSkipped());
      for (FileEntry e : entries.subList(0, Math.min(5, entries.size()))) {
        out.printf("  %-28s %8d  %s%n", e.path(), e.size(), e.digest().abbreviate(16));
      }
    }
    return 0;
  }

  private static void generateSample(Path dir) throws IOException {
    Random r = new Random(2026);
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("labels"));
    for (int i = 0; i < 20; i++) {
      byte[] img = new byte[20_000 + r.nextInt(30_000)];
      r.nextBytes(img);
      Files.write(dir.resolve("images").resolve(String.format("img%03d.bin", i)), img);
    }
    StringBuilder csv = new StringBuilder("image,label\n");
    for (int i = 0; i < 20; i++) {
      csv.append(String.format("img%03d.bin,%s%n", i, i % 3 == 0 ? "cat" : "dog"));
    }
    Files.writeString(dir.resolve("labels").resolve("labels.csv"), csv, StandardCharsets.UTF_8);
  }
}
