package dev.cairn.web;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small repository with everything the pages show: two versions of one dataset (images, a CSV,
 * text, a binary, hostile names and descriptions), a second dataset, a merge of both, metadata and
 * a run that used a version. Built with the Dataset API on real folders.
 */
final class WebFixture {
  /** A file name that is also HTML: it must show as text, never as an image element. */
  static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt";
  static final String HOSTILE_DESCRIPTION = "Pets <script>alert('description')</script> & friends";

  final Path repoDir;
  final Map<String, byte[]> v1Files = new LinkedHashMap<>();
  final Map<String, byte[]> v2Files = new LinkedHashMap<>();
  String v1;
  String v2;
  String extra;
  String merged;

  private WebFixture(Path repoDir) {
    this.repoDir = repoDir;
  }

  static WebFixture build(Path tmp) throws IOException {
    WebFixture f = new WebFixture(tmp.resolve("repo"));
    try (DatasetRepository repo = DatasetRepository.open(f.repoDir)) {
      f.populate(repo, tmp.resolve("work"));
    }
    return f;
  }

  private void populate(DatasetRepository repo, Path work) throws IOException {
    Random random = new Random(7);
    byte[] binary = new byte[5000];
    random.nextBytes(binary);
    v1Files.put("images/cat.png", png(Color.ORANGE));
    v1Files.put("images/dog.png", png(Color.DARK_GRAY));
    v1Files.put("labels.csv", "image,label,note\ncat.png,cat,\"sleepy, fluffy\"\ndog.png,dog,<b>good</b>\n".getBytes(StandardCharsets.UTF_8));
    v1Files.put("notes/readme.txt", "Pets dataset\nline two\n".getBytes(StandardCharsets.UTF_8));
    v1Files.put(HOSTILE_NAME, "just text\n".getBytes(StandardCharsets.UTF_8));
    v1Files.put("data.bin", binary);
    v1Files.put("spaces in name/ünïcødé.txt", "unicode ✓\n".getBytes(StandardCharsets.UTF_8));

    Path src = work.resolve("pets");
    write(src, v1Files);
    Dataset ds1 = Dataset.create(repo, CreateOptions.of("vision", "pets").tags("raw").description(HOSTILE_DESCRIPTION)
        .metadata(Map.of("source", "<i>camera</i>", "owner", "ml-team")).build());
    ds1.addFiles(AddOptions.of(src));
    ds1.close();
    v1 = ds1.id();

    v2Files.putAll(v1Files);
    v2Files.remove("data.bin");
    v2Files.put("labels.csv", "image,label,note\ncat.png,cat,fluffy\ndog.png,dog,good\nbird.png,bird,new\n".getBytes(StandardCharsets.UTF_8));
    v2Files.put("images/bird.png", png(Color.CYAN));
    Files.delete(src.resolve("data.bin"));
    write(src, v2Files);
    Dataset ds2 = Dataset.create(repo, CreateOptions.of("vision", "pets").parents(v1).tags("clean").build());
    ds2.syncFolder(src);
    ds2.close();
    v2 = ds2.id();
    ds2.alias("train", "run-42");

    Path extraSrc = work.resolve("extra");
    Map<String, byte[]> extraFiles = new LinkedHashMap<>();
    extraFiles.put("extra/fish.png", png(Color.BLUE));
    extraFiles.put("extra/labels.tsv", "image\tlabel\nfish.png\tfish\n".getBytes(StandardCharsets.UTF_8));
    write(extraSrc, extraFiles);
    Dataset ds3 = Dataset.create(repo, CreateOptions.of("vision", "pets-extra").build());
    ds3.addFiles(AddOptions.of(extraSrc));
    ds3.close();
    extra = ds3.id();

    Dataset ds4 = Dataset.create(repo, CreateOptions.of("vision", "pets-merged").parents(v2, extra).build());
    ds4.close();
    merged = ds4.id();
  }

  private static void write(Path dir, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  /** A real 48×32 PNG of one colour with a stripe. */
  static byte[] png(Color color) throws IOException {
    BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 48, 32);
    g.setColor(Color.WHITE);
    g.fillRect(0, 14, 48, 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
