package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.io.Text;
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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
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

    /** The format a name gives: {@code zip}, {@code tar}, {@code tar.gz} ({@code tgz}), {@code tar.zst} ({@code tzst}), of any letter case. */
    public static Format named(String name) throws InvalidInputException {
      String n = name.toLowerCase(Locale.ROOT);
      return switch (n) {
        case "zip" -> ZIP;
        case "tar" -> TAR;
        case "tar.gz", "tgz" -> TAR_GZ;
        case "tar.zst", "tzst" -> TAR_ZST;
        default -> throw new InvalidInputException("Cannot use archive format '" + name + "': give zip, tar, tar.gz or tar.zst");
      };
    }

    /** The format of {@code file}: {@code given}, else the one its extension names. */
    static Format of(Path file, Format given) throws InvalidInputException {
      return given != null ? given : of(file);
    }
  }

  private ArchiveIo() {}

  /**
   * Writes the files of {@code root} that {@code selection} holds to {@code output} (atomically: a
   * temporary file next to it, then a rename), in format {@code given} (null: the one the name's
   * extension names).
   *
   * @throws InvalidInputException if {@code output} is a folder, exists and {@code overwrite} is
   *     false (it is left as it was), or its folder does not exist or cannot hold new files
   */
  static void write(DatasetRepository repo, ObjectId root, Selection selection, Path output, Format given, boolean overwrite,
      long timeMillis, Progress progress) throws IOException {
    Format format = Format.of(output, given);
    if (AtomicFiles.isStreamTarget(output)) { // a device or named pipe: fed as a shell's > feeds it, not replaced
      try (OutputStream into = new BufferedOutputStream(Files.newOutputStream(output, StandardOpenOption.WRITE), 1 << 16)) {
        write(repo, root, selection, format, into, timeMillis, progress);
      }
      return;
    }
    LocalCopies.requireApartFromRepository(repo, output, "export to");
    if (Files.isDirectory(output)) {
      throw new InvalidInputException("Cannot export to " + output + ": it is a folder; give the archive's file name");
    }
    Path through = AtomicFiles.replaceTarget(output, "export to"); // a link to nothing is said to be one, with or without --overwrite
    if (!overwrite && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(output);
    }
    output = through;
    LocalCopies.requireApartFromRepository(repo, output, "export to"); // where a link leads, too
    Path dir = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      // As tar -f and cp: a mistyped folder is said, not made (at the root of the disk, say).
      throw new InvalidInputException("Cannot export to " + output + ": " + dir + (Files.exists(dir) ? " is not a folder"
          : " does not exist; create it first"));
    }
    String tmpPrefix = "." + startOf(output.getFileName().toString(), TEMP_NAME_BYTES) + "-";
    removeAbandoned(dir, tmpPrefix);
    Path tmp = AtomicFiles.tempPath(dir, tmpPrefix);
    try (var atExit = ExitCleanup.register(tmp)) {
      try (OutputStream file = new BufferedOutputStream(create(tmp, output), 1 << 16)) {
        write(repo, root, selection, format, file, timeMillis, progress);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true); // whole on disk before it has its name
      }
      if (overwrite) {
        Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        try {
          Files.createLink(output, tmp); // atomic: refuses an existing file, even one made while this export ran
        } catch (FileAlreadyExistsException e) {
          throw exists(output);
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
          Files.move(tmp, output); // no hard links here: a check, then a rename
        }
      }
      AtomicFiles.fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Deletes the hidden partial archives that earlier exports to the same name left in {@code dir}
   * when they were killed (a Ctrl-C'd one deletes its own): those whose process no longer runs.
   */
  private static void removeAbandoned(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(x -> x.getFileName().toString().startsWith(prefix + "p") && x.getFileName().toString().endsWith(".tmp"))
          .toList()) {
        if (!AtomicFiles.ownerAlive(p.getFileName().toString())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static InvalidInputException exists(Path output) {
    return new InvalidInputException("Cannot export to " + output + ": the file exists; ", Remedy.OVERWRITE, " to replace it");
  }

  /** Opens the temporary file; a failure names the archive the user asked for, not the temporary name. */
  private static OutputStream create(Path tmp, Path output) throws IOException {
    try {
      return Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileSystemException e) {
      String folder = String.valueOf(output.toAbsolutePath().getParent());
      String reason = e instanceof AccessDeniedException ? "permission denied in " + folder
          : e instanceof NoSuchFileException ? folder + " cannot hold new files"
          : (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + " (in " + folder + ")";
      throw new InvalidInputException("Cannot export to " + output + ": " + reason, e);
    }
  }

  /** Streams the files of {@code root} as an archive of {@code format} into {@code out}. */
  public static void write(DatasetRepository repo, ObjectId root, Format format, OutputStream out, long timeMillis,
      Progress progress) throws IOException {
    write(repo, root, Selection.ALL, format, out, timeMillis, progress);
  }

  /**
   * Streams the files of {@code root} that {@code selection} holds (a folder's, say:
   * {@link Selection#folder}) as an archive of {@code format} into {@code out}, at their paths in
   * the version.
   */
  public static void write(DatasetRepository repo, ObjectId root, Selection selection, Format format, OutputStream out,
      long timeMillis, Progress progress) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader();
        ExternalFiles links = new ExternalFiles(repo.storageConf(), repo.repository().objects().algorithm())) {
      Manifest m = new Manifest(new NodeLoader(reader), root);
      Selection.Totals totals = selection.totals(m);
      progress.start("exporting " + Text.count(totals.files(), "file"), totals.bytes());
      try {
        OutputStream compressed = switch (format) {
          case TAR_GZ -> new GzipCompressorOutputStream(out);
          case TAR_ZST -> ZstdCompressorOutputStream.builder().setOutputStream(out).setLevel(3).get();
          default -> out;
        };
        ArchiveOutputStream<? extends ArchiveEntry> archive = format == Format.ZIP ? zip(compressed) : tar(compressed);
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        selection.forEach(m, e -> {
          if (archive instanceof ZipArchiveOutputStream z && e.kind() != EntryKind.LINK) {
            writeZipEntry(z, reader, e, timeMillis, probe);
          } else {
            putEntry(archive, e, timeMillis);
            if (e.kind() == EntryKind.LINK) {
              links.copyChecked(e, archive, "export");
            } else {
              try (InputStream in = reader.openContent(e.fileContent())) {
                in.transferTo(archive);
              }
            }
            archive.closeArchiveEntry();
          }
          progress.advance(e.size());
          return true;
        });
        archive.finish();
        probe.end();
        if (compressed != out) {
          compressed.close();
        }
      } finally {
        progress.finish(); // on a failure too: a progress bar is never left open
      }
    }
  }

  /**
   * Bytes of the archive's name that its temporary file's name repeats: the process id, a token
   * and {@code .tmp} follow (about 60 bytes), and a name of up to 255 bytes must still fit.
   */
  private static final int TEMP_NAME_BYTES = 128;

  /** The longest start of {@code name} of at most {@code bytes} bytes of UTF-8, whole characters only. */
  private static String startOf(String name, int bytes) {
    int end = 0;
    int used = 0;
    while (end < name.length()) {
      int cp = name.codePointAt(end);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + size > bytes) {
        break;
      }
      used += size;
      end += Character.charCount(cp);
    }
    return name.substring(0, end);
  }

  /** How much of a file's start is read before its method is chosen (a smaller file is then read whole). */
  private static final int ZIP_SAMPLE = 64 * 1024;
  /** How much of that is deflated to tell whether deflating the file is worth its time. */
  private static final int ZIP_PROBE = 16 * 1024;

  /**
   * Names of formats that are compressed already, stored without a probe, as {@code zip -n} is told
   * to: a dataset of 200,000 small JPEG files spent most of a zip export deflating their starts.
   */
  private static final Set<String> COMPRESSED_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "jxl",
      "mp4", "m4v", "mkv", "mov", "avi", "webm", "mp3", "m4a", "aac", "ogg", "opus", "flac", "zip", "gz", "tgz", "bz2", "xz",
      "zst", "lz4", "7z", "rar", "br", "npz", "jar", "whl");

  /** Whether the file's name says it is compressed already ({@link #COMPRESSED_EXTENSIONS}, any case). */
  static boolean compressedByName(String path) {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') && COMPRESSED_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * Writes a file into a zip: deflated, or stored as it is when its name says it is compressed
   * already or its first {@link #ZIP_PROBE} bytes do not shrink by a twentieth (JPEG, PNG,
   * compressed arrays: most of an ML dataset), which deflate would only slow down (1 GiB of random
   * bytes took 28 s deflated, against 7 s as tar). A stored entry's CRC-32 comes first in the
   * stream, so a file larger than {@link #ZIP_SAMPLE} is read twice: once for it, once for its bytes.
   */
  private static void writeZipEntry(ZipArchiveOutputStream z, ObjectReader reader, FileEntry e, long timeMillis, Deflater probe)
      throws IOException {
    ZipArchiveEntry ze = zipEntry(e, timeMillis);
    byte[] head;
    try (InputStream in = reader.openContent(e.fileContent())) {
      head = in.readNBytes(ZIP_SAMPLE);
      if (!compressedByName(e.path()) && deflates(head, Math.min(head.length, ZIP_PROBE), probe)) {
        z.putArchiveEntry(ze); // one pass: the sample, then the rest of the same stream
        z.write(head);
        in.transferTo(z);
        z.closeArchiveEntry();
        return;
      }
      // Stored: its CRC-32 goes before the bytes, so this stream is read to its end for it first.
      CRC32 crc = new CRC32();
      crc.update(head);
      in.transferTo(new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
      ze.setMethod(ZipEntry.STORED);
      ze.setCompressedSize(e.size());
      ze.setCrc(crc.getValue());
    }
    z.putArchiveEntry(ze);
    if (head.length == e.size()) {
      z.write(head); // the whole file: no second pass
    } else {
      try (InputStream in = reader.openContent(e.fileContent())) {
        in.transferTo(z);
      }
    }
    z.closeArchiveEntry();
  }

  /**
   * Whether deflate makes the first {@code length} bytes of {@code sample} at least a twentieth
   * smaller, as {@code probe} (a raw deflater at its fastest level, which tells well enough; reset
   * here) finds.
   */
  static boolean deflates(byte[] sample, int length, Deflater probe) {
    if (length == 0) {
      return false;
    }
    probe.reset();
    probe.setInput(sample, 0, length);
    probe.finish();
    byte[] out = new byte[length];
    long limit = length - length / 20;
    while (!probe.finished() && probe.getBytesWritten() < limit) {
      probe.deflate(out);
    }
    return probe.finished() && probe.getBytesWritten() < limit;
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

  private static ZipArchiveEntry zipEntry(FileEntry e, long timeMillis) {
    ZipArchiveEntry ze = new ZipArchiveEntry(e.path());
    ze.setSize(e.size());
    ze.setTime(timeMillis);
    ze.setUnixMode(e.executable() ? 0100755 : 0100644);
    return ze;
  }

  @SuppressWarnings("unchecked")
  private static void putEntry(ArchiveOutputStream<? extends ArchiveEntry> archive, FileEntry e, long timeMillis) throws IOException {
    int mode = e.executable() ? 0100755 : 0100644;
    if (archive instanceof ZipArchiveOutputStream z) {
      z.putArchiveEntry(zipEntry(e, timeMillis));
    } else {
      TarArchiveEntry te = new TarArchiveEntry(e.path());
      te.setSize(e.size());
      // Whole seconds, which the ustar header holds: a time with milliseconds would take a PAX
      // header (1 KiB) before every file.
      te.setModTime(new Date(Math.floorDiv(timeMillis, 1000) * 1000));
      te.setMode(mode);
      ((TarArchiveOutputStream) archive).putArchiveEntry(te);
    }
  }

  /**
   * Stores the regular files of an archive and returns their entries under {@code datasetFolder}.
   * Links are read as a folder's are: a hard link, or a symbolic link that resolves to a file of
   * the archive, holds that file's content; a link that leads out of the archive, to a folder or
   * nowhere is refused. Fifos and devices are skipped with a warning.
   *
   * @throws InvalidInputException for an entry whose path escapes the dataset, a refused link, or
   *     an unreadable archive
   */
  static List<FileEntry> read(Path archiveFile, String datasetFolder, ObjectInserter inserter, Progress progress) throws IOException {
    if (!Files.isRegularFile(archiveFile)) {
      throw new InvalidInputException("Cannot import " + archiveFile + ": " + (Files.isDirectory(archiveFile) ? "it is a folder, not an archive"
          : Files.exists(archiveFile) ? "it is not a regular file" : "no such file"));
    }
    Format format = Format.of(archiveFile);
    requireLooksWhole(archiveFile, format);
    Map<String, FileEntry> files = new LinkedHashMap<>();
    Map<String, String> symlinks = new LinkedHashMap<>();
    Set<String> folders = new HashSet<>(); // those the archive holds as entries of their own
    // Tar names in their own bytes (not PAX) are read as UTF-8 with '?' for a byte that is not:
    // the entries (by their place) whose names hold a '?' are read again to tell.
    Map<Integer, String> questioned = new HashMap<>();
    int index = -1;
    long counted = 0;
    progress.start("importing " + archiveFile.getFileName(), Files.size(archiveFile));
    try (Entries archive = format == Format.ZIP ? new ZipEntries(archiveFile) : new TarEntries(archiveFile, format)) {
      for (ArchiveEntry entry = archive.next(); entry != null; entry = archive.next()) {
        index++;
        if (entry instanceof ZipArchiveEntry ze) {
          requireUtf8Name(archiveFile, ze);
        } else if (entry instanceof TarArchiveEntry te && (te.getName() + linkName(te)).indexOf('?') >= 0) {
          questioned.put(index, te.getName() + "\0" + linkName(te));
        }
        if (entry.isDirectory()) {
          try {
            folders.add(datasetPath(archiveFile, datasetFolder, entry.getName()));
          } catch (InvalidInputException noPath) {
            // "./", or a name no file of the version could be under: a folder entry adds nothing
          }
          continue;
        }
        if (entry instanceof TarArchiveEntry te && (te.isFIFO() || te.isCharacterDevice() || te.isBlockDevice() || te.isGlobalPaxHeader())) {
          progress.warn("skipped " + te.getName() + ": not a regular file (fifo or device)");
          continue;
        }
        String path = datasetPath(archiveFile, datasetFolder, entry.getName());
        if (files.containsKey(path) || symlinks.containsKey(path)) {
          // Named as in the archive, without the dataset folder it goes to.
          String inArchive = datasetFolder.isEmpty() ? path : path.substring(datasetFolder.length() + 1);
          progress.warn(archiveFile.getFileName() + " holds '" + DatasetPaths.printable(inArchive) + "' more than once: the last one is kept"
              + " (as extracting the archive would leave it)");
          files.remove(path);
          symlinks.remove(path);
        }
        if (entry instanceof TarArchiveEntry te && te.isSymbolicLink()) {
          symlinks.put(path, te.getLinkName());
          continue;
        }
        // A zip keeps its entries' Unix modes (executable bit, links) in its central directory.
        int zipMode = entry instanceof ZipArchiveEntry ze ? ze.getUnixMode() : 0;
        int zipType = zipMode & 0170000;
        if (zipType == 0010000 || zipType == 0020000 || zipType == 0060000 || zipType == 0140000) {
          progress.warn("skipped " + entry.getName() + ": not a regular file (fifo, device or socket)");
          continue;
        }
        if (entry instanceof ZipArchiveEntry && (zipMode & 0170000) == 0120000) {
          try (InputStream target = archive.data(entry)) {
            symlinks.put(path, new String(target.readAllBytes(), StandardCharsets.UTF_8));
          }
          continue;
        }
        if (entry instanceof TarArchiveEntry te && te.isLink()) {
          String target = datasetPath(archiveFile, datasetFolder, te.getLinkName());
          FileEntry earlier = files.get(target);
          if (earlier == null && symlinks.containsKey(target)) {
            symlinks.put(path, symlinks.get(target)); // another name of a symbolic link: the same link, as tar -x makes it
            continue;
          }
          if (earlier == null && folders.contains(target)) {
            throw new InvalidInputException("Cannot import " + archiveFile + ": '" + DatasetPaths.printable(te.getName())
                + "' is a hard link to the folder '" + DatasetPaths.printable(te.getLinkName()) + "', which no file system makes");
          }
          if (earlier == null) {
            throw new InvalidInputException("Cannot import " + archiveFile + ": '" + DatasetPaths.printable(te.getName())
                + "' is a hard link to '" + DatasetPaths.printable(te.getLinkName()) + "', which the archive does not hold before it");
          }
          // One inode with the file it names, as tar -x makes it: that file's mode, not the link header's.
          files.put(path, FileEntry.file(path, earlier.fileContent(), earlier.executable()));
          continue;
        }
        if (entry instanceof TarArchiveEntry te && !te.isFile()) {
          progress.warn("skipped " + te.getName() + ": not a regular file");
          continue;
        }
        boolean exec = entry instanceof TarArchiveEntry te ? (te.getMode() & 0100) != 0
            : (zipMode & 0100) != 0;
        CRC32 crc = new CRC32();
        FileContent c;
        try (InputStream data = new CheckedInputStream(archive.data(entry), crc)) {
          c = inserter.insertFile(data);
        }
        if (entry instanceof ZipArchiveEntry ze && ze.getCrc() != -1 && ze.getCrc() != crc.getValue()) {
          throw new InvalidInputException("Cannot import " + archiveFile + ": entry '" + DatasetPaths.printable(ze.getName())
              + "' is damaged (its CRC-32 is " + String.format("%08x", ze.getCrc()) + ", its data's "
              + String.format("%08x", crc.getValue()) + ")");
        }
        files.put(path, FileEntry.file(path, c, exec));
        // Of the archive's bytes, which the total counts: a compressed archive holds more than its size.
        progress.advance(archive.bytesRead() - counted);
        counted = archive.bytesRead();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CairnException c) {
        throw c;
      }
      // The file itself refused (unreadable): said so; else what the decoder found, as damage.
      String why = e instanceof FileSystemException fse ? IoErrors.reason(fse) : "not a readable "
          + format.name().toLowerCase(Locale.ROOT).replace('_', '.') + " archive, or a damaged one ("
          + (e instanceof java.io.EOFException ? "it ends early: cut short?"
              : e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage().strip()) + ")";
      throw new InvalidInputException("Cannot import " + archiveFile + ": " + why, e);
    } finally {
      progress.finish();
    }
    if (!questioned.isEmpty()) {
      try {
        requireUtf8TarNames(archiveFile, format, questioned);
      } catch (CairnException e) {
        throw e;
      } catch (IOException e) {
        throw new InvalidInputException("Cannot import " + archiveFile + ": " + IoErrors.reason(e), e);
      }
    }
    for (Map.Entry<String, String> link : symlinks.entrySet()) {
      files.put(link.getKey(), resolveSymlink(archiveFile, link.getKey(), link.getValue(), files, symlinks));
    }
    requireNoNormalizationTwins(archiveFile, files.keySet());
    return new ArrayList<>(files.values());
  }

  /**
   * Refuses a zip entry whose name is not valid UTF-8 (the reader would have read such bytes as
   * '?', and two names as one), unless the entry carries its name in Unicode in an extra field.
   * A folder's name that is not UTF-8 is refused in the same way (spec/datasets.md).
   */
  private static void requireUtf8Name(Path archiveFile, ZipArchiveEntry e) throws InvalidInputException {
    if (e.getNameSource() == ZipArchiveEntry.NameSource.UNICODE_EXTRA_FIELD || strictUtf8(e.getRawName()) != null) {
      return;
    }
    throw notUtf8(archiveFile, e.getRawName());
  }

  /** {@code bytes} read as UTF-8, or null if they are not valid UTF-8. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static InvalidInputException notUtf8(Path archiveFile, byte[] name) {
    StringBuilder shown = new StringBuilder(); // printable ASCII as it is, any other byte as \xNN
    for (byte b : name) {
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        shown.append((char) b);
      } else {
        shown.append(String.format("\\x%02x", b & 0xff));
      }
    }
    return new InvalidInputException("Cannot import " + archiveFile + ": entry '" + shown
        + "' has a name that is not valid UTF-8 (a file would be stored under another name)");
  }

  /**
   * Reads the names (and link targets) of the entries at the keys of {@code read} again, each byte
   * a character (ISO-8859-1), and refuses one whose bytes are not valid UTF-8. A name read from a
   * PAX header is text already, the same in both readings ({@code read}'s value), and passes.
   */
  private static void requireUtf8TarNames(Path archiveFile, Format format, Map<Integer, String> read) throws IOException {
    Map<Integer, String> wanted = new HashMap<>(read);
    String latin1 = StandardCharsets.ISO_8859_1.name();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archiveFile), 1 << 16);
        InputStream decompressed = switch (format) {
          case TAR_GZ -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
          case TAR_ZST -> new ZstdCompressorInputStream(raw);
          default -> raw;
        };
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed, latin1)) {
      int index = 0;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null && !wanted.isEmpty(); e = tar.getNextEntry(), index++) {
        String first = wanted.remove(index);
        if (first != null && !first.equals(e.getName() + "\0" + linkName(e))) {
          for (String name : new String[] {e.getName(), linkName(e)}) {
            byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
            if (strictUtf8(bytes) == null) {
              throw notUtf8(archiveFile, bytes);
            }
          }
        }
      }
    }
  }

  /** The name a link entry leads to, or "" for another entry. */
  private static String linkName(TarArchiveEntry e) {
    return e.isLink() || e.isSymbolicLink() ? e.getLinkName() : "";
  }

  /**
   * Refuses two paths (or folders on them) that differ only by Unicode normalization, as a folder
   * add does: they would collide on many systems.
   */
  private static void requireNoNormalizationTwins(Path archiveFile, Collection<String> paths) throws InvalidInputException {
    Map<String, String> seen = new HashMap<>();
    for (String p : paths) {
      if (p.chars().allMatch(c -> c < 0x80)) {
        continue;
      }
      for (int end = p.indexOf('/'); ; end = p.indexOf('/', end + 1)) {
        String prefix = end < 0 ? p : p.substring(0, end);
        String nfc = DatasetPaths.nfc(prefix);
        String other = seen.putIfAbsent(nfc, prefix);
        if (other != null && !other.equals(prefix)) {
          throw new InvalidInputException("Cannot import " + archiveFile + ": " + DatasetPaths.quotedWithForm(prefix) + " differs from "
              + DatasetPaths.quotedWithForm(other) + " only by Unicode normalization, and the two would collide on many systems");
        }
        if (end < 0) {
          break;
        }
      }
    }
  }

  /** The entries of an archive in the order they lie in it, each with its data. */
  private interface Entries extends java.io.Closeable {
    /** The next entry, or null after the last. */
    ArchiveEntry next() throws IOException;

    /** The data of the entry {@link #next} returned last; the caller closes it. */
    InputStream data(ArchiveEntry e) throws IOException;

    /**
     * Bytes of the archive file read so far, about (as its progress counts them, out of the
     * file's size): through the data of the entry {@link #next} returned last.
     */
    long bytesRead();
  }

  /** A tar, compressed or not, read as a stream. */
  private static final class TarEntries implements Entries {
    private final TarArchiveInputStream tar;
    private long read;

    TarEntries(Path archiveFile, Format format) throws IOException {
      InputStream counted = new java.io.FilterInputStream(Files.newInputStream(archiveFile)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          read += b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          read += Math.max(0, n);
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          long skipped = super.skip(n);
          read += skipped;
          return skipped;
        }
      };
      InputStream raw = new BufferedInputStream(counted, 1 << 16);
      try {
        InputStream decompressed = switch (format) {
          case TAR_GZ -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
          case TAR_ZST -> new ZstdCompressorInputStream(raw);
          default -> raw;
        };
        this.tar = new TarArchiveInputStream(decompressed, StandardCharsets.UTF_8.name()); // whatever the locale
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    @Override
    public ArchiveEntry next() throws IOException {
      TarArchiveEntry e = tar.getNextEntry();
      if (e != null && !e.isCheckSumOK()) {
        // As tar -x refuses it: a header whose checksum fails may name another file, or another size.
        throw new IOException("the header of entry '" + DatasetPaths.printable(e.getName()) + "' is damaged (its checksum does not match)");
      }
      return e;
    }

    @Override
    public InputStream data(ArchiveEntry e) {
      return new java.io.FilterInputStream(tar) {
        @Override
        public void close() {
          // the archive stays open for the next entry
        }
      };
    }

    @Override
    public long bytesRead() {
      return read; // a buffer ahead of the entries read, at most
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  /**
   * A zip read by its central directory, as unzip reads it: the names, platforms and modes are
   * the directory's (a local header may name an entry otherwise, and tells no platform: a name
   * with a backslash would read as a DOS path), entries stored whole with a data descriptor read
   * as any other, and a self-extracting zip's leading program is passed over. The entries are
   * read in the order their data lies in the file.
   */
  private static final class ZipEntries implements Entries {
    private final org.apache.commons.compress.archivers.zip.ZipFile zip;
    private final java.util.Iterator<ZipArchiveEntry> entries;
    /** The compressed bytes of the entries handed out so far. */
    private long read;

    ZipEntries(Path archiveFile) throws IOException {
      try {
        this.zip = org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(archiveFile).get();
      } catch (FileSystemException unreadable) {
        throw new InvalidInputException("Cannot import " + archiveFile + ": " + IoErrors.reason(unreadable), unreadable);
      } catch (IOException e) {
        throw new InvalidInputException("Cannot import " + archiveFile + ": not a zip archive, or a damaged one (" + e.getMessage() + ")", e);
      }
      this.entries = Collections.list(zip.getEntriesInPhysicalOrder()).iterator();
    }

    @Override
    public ArchiveEntry next() {
      ZipArchiveEntry e = entries.hasNext() ? entries.next() : null;
      read += e == null ? 0 : Math.max(0, e.getCompressedSize());
      return e;
    }

    @Override
    public long bytesRead() {
      return read;
    }

    @Override
    public InputStream data(ArchiveEntry e) throws IOException {
      ZipArchiveEntry ze = (ZipArchiveEntry) e;
      if (ze.getGeneralPurposeBit().usesEncryption()) {
        throw new IOException("entry '" + DatasetPaths.printable(ze.getName()) + "' is encrypted, which this reader does not"
            + " decrypt; extract the archive (unzip asks for its password) and add the folder");
      }
      if (!zip.canReadEntryData(ze)) {
        throw new IOException("entry '" + DatasetPaths.printable(ze.getName()) + "' uses a compression this reader lacks (method "
            + ze.getMethod() + "); repack it with plain deflate (zip -r)");
      }
      return zip.getInputStream(ze);
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  /**
   * Refuses a tar cut short up front: the streaming reader takes it for an archive that simply
   * ends (compressed ones fail on their own when cut; a zip is read by its central directory, at
   * its end, which one cut short lacks).
   */
  private static void requireLooksWhole(Path archiveFile, Format format) throws IOException {
    long size = Files.size(archiveFile);
    if (size == 0) { // not even an empty archive: tar writes 10,240 bytes, zstd and gzip a header, zip its end record
      throw new InvalidInputException("Cannot import " + archiveFile + ": it is an empty file (0 bytes), not an archive");
    }
    if (format == Format.TAR && size % 512 != 0) {
      throw new InvalidInputException("Cannot import " + archiveFile + ": not a tar archive, cut short, or with bytes after its end ("
          + size + " bytes, not a multiple of 512)");
    }
  }

  /**
   * The entry's dataset path, refused if it is not a valid one. Empty and {@code .} segments
   * ({@code ./a}, {@code x//y}, {@code sub/./d}) are dropped, as tar and unzip extract them;
   * {@code ..} is refused.
   */
  private static String datasetPath(Path archiveFile, String datasetFolder, String entryName) throws InvalidInputException {
    // an absolute path is refused as it is
    String name = entryName.startsWith("/") ? entryName : DatasetPaths.withoutEmptyOrDotSegments(entryName);
    String path = datasetFolder.isEmpty() ? name : datasetFolder + "/" + name;
    // A PAX name's bytes that are not UTF-8 are read as U+FFFD, as a folder's are refused for.
    String problem = name.indexOf('\uFFFD') >= 0 ? "not valid UTF-8" : DatasetPaths.problem(path);
    if (problem != null) {
      throw new InvalidInputException("Cannot import " + archiveFile + ": entry '" + DatasetPaths.printable(entryName)
          + "' is not a valid dataset path (" + problem + ")");
    }
    return path;
  }

  /** The file a symbolic link of the archive leads to (through other links), as an entry at the link's path. */
  private static FileEntry resolveSymlink(Path archiveFile, String path, String target, Map<String, FileEntry> files,
      Map<String, String> symlinks) throws InvalidInputException {
    String at = path;
    String to = target;
    for (int hops = 0; hops < 40; hops++) {
      if (to.startsWith("/")) {
        throw leadsOutside(archiveFile, path, target);
      }
      int slash = at.lastIndexOf('/');
      ArrayDeque<String> parts = new ArrayDeque<>();
      if (slash > 0) {
        for (String p : at.substring(0, slash).split("/")) {
          parts.addLast(p);
        }
      }
      boolean escapes = false;
      for (String p : to.split("/")) {
        if (p.isEmpty() || p.equals(".")) {
          continue;
        }
        if (p.equals("..")) {
          if (parts.isEmpty()) {
            escapes = true;
            break;
          }
          parts.removeLast();
        } else {
          parts.addLast(p);
        }
      }
      if (escapes) {
        throw leadsOutside(archiveFile, path, target);
      }
      String resolved = String.join("/", parts);
      FileEntry f = files.get(resolved);
      if (f != null && !symlinks.containsKey(resolved)) {
        return FileEntry.file(path, f.fileContent(), f.executable());
      }
      String next = symlinks.get(resolved);
      if (next == null) {
        String folder = resolved + "/";
        boolean isFolder = resolved.isEmpty() || files.keySet().stream().anyMatch(k -> k.startsWith(folder));
        throw new InvalidInputException("Cannot import " + archiveFile + ": symbolic link '" + DatasetPaths.printable(path)
            + "' leads to '" + DatasetPaths.printable(target) + "', which is " + (isFolder
                ? "a folder of the archive (a link in an archive may lead to a file only)" : "no file of the archive"));
      }
      at = resolved;
      to = next;
    }
    throw new InvalidInputException("Cannot import " + archiveFile + ": symbolic links from '" + DatasetPaths.printable(path)
        + "' form a loop");
  }

  private static InvalidInputException leadsOutside(Path archiveFile, String path, String target) {
    return new InvalidInputException("Cannot import " + archiveFile + ": symbolic link '" + DatasetPaths.printable(path)
        + "' leads outside the archive (to " + DatasetPaths.printable(target) + ")");
  }
}
