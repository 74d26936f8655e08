package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Streams versions to and from {@code .zip}, {@code .tar}, {@code .tar.gz} ({@code .tgz}) and
 * {@code .tar.zst} archives with Commons Compress, one file in memory at a time at most one chunk.
 */
public final class ArchiveIo {
  /** Archive formats, chosen by file name. */
  public enum Format {
    ZIP, TAR, TAR_GZ, TAR_ZST;

    /** The format a file name's extension names. */
    public static Format of(Path file) throws InvalidInputException {
      String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".zip")) {
        return ZIP;
      }
      if (n.endsWith(".tar")) {
        return TAR;
      }
      if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
        return TAR_GZ;
      }
      if (n.endsWith(".tar.zst") || n.endsWith(".tzst")) {
        return TAR_ZST;
      }
      throw new InvalidInputException("Cannot tell the archive format of " + file + ": use .zip, .tar, .tar.gz or .tar.zst");
    }
  }

  private ArchiveIo() {}

  /** Writes the files of {@code root} to {@code output} (atomically: a temporary file, then rename). */
  static void write(DatasetRepository repo, ObjectId root, Path output, long timeMillis, Progress progress) throws IOException {
    Format format = Format.of(output);
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = AtomicFiles.tempPath(dir, "." + output.getFileName() + "-");
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        write(repo, root, format, file, timeMillis, progress);
      }
      Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Streams the files of {@code root} as an archive of {@code format} into {@code out}. */
  public static void write(DatasetRepository repo, ObjectId root, Format format, OutputStream out, long timeMillis,
      Progress progress) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      Manifest m = new Manifest(new NodeLoader(reader), root);
      progress.start("exporting " + m.entryCount() + " files", m.totalBytes());
      OutputStream compressed = switch (format) {
        case TAR_GZ -> new GzipCompressorOutputStream(out);
        case TAR_ZST -> ZstdCompressorOutputStream.builder().setOutputStream(out).setLevel(3).get();
        default -> out;
      };
      ArchiveOutputStream<? extends ArchiveEntry> archive = format == Format.ZIP ? zip(compressed) : tar(compressed);
      for (FileEntry e : m) {
        if (e.kind() != EntryKind.FILE) {
          continue;
        }
        putEntry(archive, e, timeMillis);
        try (InputStream in = reader.openContent(e.fileContent())) {
          in.transferTo(archive);
        }
        archive.closeArchiveEntry();
        progress.advance(e.size());
      }
      archive.finish();
      if (compressed != out) {
        compressed.close();
      }
      progress.finish();
    }
  }

  private static ZipArchiveOutputStream zip(OutputStream out) {
    ZipArchiveOutputStream z = new ZipArchiveOutputStream(out);
    z.setUseZip64(Zip64Mode.AsNeeded);
    return z;
  }

  private static TarArchiveOutputStream tar(OutputStream out) {
    TarArchiveOutputStream t = new TarArchiveOutputStream(out);
    t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return t;
  }

  @SuppressWarnings("unchecked")
  private static void putEntry(ArchiveOutputStream<? extends ArchiveEntry> archive, FileEntry e, long timeMillis) throws IOException {
    int mode = e.executable() ? 0100755 : 0100644;
    if (archive instanceof ZipArchiveOutputStream z) {
      ZipArchiveEntry ze = new ZipArchiveEntry(e.path());
      ze.setSize(e.size());
      ze.setTime(timeMillis);
      ze.setUnixMode(mode);
      z.putArchiveEntry(ze);
    } else {
      TarArchiveEntry te = new TarArchiveEntry(e.path());
      te.setSize(e.size());
      te.setModTime(new Date(timeMillis));
      te.setMode(mode);
      ((TarArchiveOutputStream) archive).putArchiveEntry(te);
    }
  }

  /**
   * Stores the regular files of an archive and returns their entries under {@code datasetFolder}.
   *
   * @throws InvalidInputException for an entry whose path escapes the dataset, or an unreadable
   *     archive
   */
  static List<FileEntry> read(Path archiveFile, String datasetFolder, ObjectInserter inserter, Progress progress) throws IOException {
    if (!Files.isRegularFile(archiveFile)) {
      throw new InvalidInputException("Cannot import " + archiveFile + ": no such file");
    }
    Format format = Format.of(archiveFile);
    List<FileEntry> out = new ArrayList<>();
    progress.start("importing " + archiveFile.getFileName(), Files.size(archiveFile));
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archiveFile), 1 << 16);
        InputStream decompressed = switch (format) {
          case TAR_GZ -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
          case TAR_ZST -> new ZstdCompressorInputStream(raw);
          default -> raw;
        };
        ArchiveInputStream<? extends ArchiveEntry> archive = format == Format.ZIP
            ? new ZipArchiveInputStream(decompressed)
            : new TarArchiveInputStream(decompressed)) {
      for (ArchiveEntry entry = archive.getNextEntry(); entry != null; entry = archive.getNextEntry()) {
        if (entry.isDirectory()) {
          continue;
        }
        if (entry instanceof TarArchiveEntry te && !te.isFile()) {
          progress.warn("skipped " + te.getName() + ": not a regular file");
          continue;
        }
        String name = entry.getName();
        while (name.startsWith("./")) {
          name = name.substring(2);
        }
        String path = datasetFolder.isEmpty() ? name : datasetFolder + "/" + name;
        String problem = DatasetPaths.problem(path);
        if (problem != null) {
          throw new InvalidInputException("Cannot import " + archiveFile + ": entry '" + DatasetPaths.printable(entry.getName())
              + "' is not a valid dataset path (" + problem + ")");
        }
        boolean exec = entry instanceof TarArchiveEntry te ? (te.getMode() & 0100) != 0
            : entry instanceof ZipArchiveEntry ze && (ze.getUnixMode() & 0100) != 0;
        FileContent c = inserter.insertFile(new FilterInputStream(archive) {
          @Override
          public void close() {
            // the archive stays open for the next entry
          }
        });
        out.add(FileEntry.file(path, c, exec));
        progress.advance(Math.max(0, c.size()));
      }
    } catch (IOException e) {
      if (e instanceof dev.cairn.errors.CairnException) {
        throw e;
      }
      throw new InvalidInputException("Cannot import " + archiveFile + ": " + e.getMessage(), e);
    } finally {
      progress.finish();
    }
    return out;
  }
}
