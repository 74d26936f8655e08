package dev.cairn.storage.hadoop;

import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.util.functional.FutureIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote on any Hadoop {@link FileSystem}: HDFS, S3A, WASB, ABFS, GCS, local folders. Names map to
 * paths under the root URI; temporary files live under {@code .tmp/}, which listings skip. How a
 * file appears whole and only once is the {@link CommitStyle} of the store (HDFS renames, object
 * stores upload conditionally, never rename).
 *
 * <p>Thread-safe: the file system client is shared by all calls, reads use positional
 * {@code readFully} on their own streams. Each instance owns its client
 * ({@link FileSystem#newInstance}, not Hadoop's shared cache, so that settings apply) and closes
 * it in {@link #close}. Every failure is a {@link StorageException} that says whether a retry may
 * help; its message never carries credentials.
 */
public final class HadoopStorage implements RemoteStorage {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopStorage.class);
  private static final String TMP = ".tmp";

  private final URI uri;
  private final FileSystem fs;
  /** What {@link #close} closes: {@link #fs}, or the checksummed local file system wrapped around it, which closes it too. */
  private final FileSystem owned;
  private final Path root;
  private final String rootPrefix;
  private final CommitStyle style;
  private final Committer committer;

  private HadoopStorage(URI uri, FileSystem fs, FileSystem owned) throws IOException {
    this.uri = uri;
    this.fs = fs;
    this.owned = owned;
    boolean bare = uri.getPath() == null || uri.getPath().isEmpty();
    this.root = fs.makeQualified(new Path(bare ? uri.resolve("/") : uri));
    String rootPath = root.toUri().getPath();
    this.rootPrefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
    this.style = CommitStyle.of(fs, root);
    this.committer = Committer.of(style, fs, new Path(root, TMP));
    LOG.debug("Opened {} with commit style {}", HadoopErrors.redactUri(uri), style);
  }

  /**
   * Opens the remote at {@code uri} with Hadoop settings built by {@link HadoopConf} from
   * {@code settings}; the caller closes it.
   *
   * @throws StorageException if the file system cannot be set up (permanent: bad URI or settings)
   */
  public static HadoopStorage open(URI uri, Map<String, String> settings) throws IOException {
    Configuration conf = HadoopConf.build(settings);
    FileSystem fs;
    try {
      fs = FileSystem.newInstance(uri, conf);
    } catch (IOException e) {
      // No client for the scheme, bad settings, or the store unreachable (which a retry may cure).
      throw HadoopErrors.translate("open storage", uri, e);
    } catch (RuntimeException e) {
      throw HadoopErrors.setupFailure("open storage", uri, e);
    } catch (NoClassDefFoundError e) {
      // A client built without a library it needs (the command line leaves out Hadoop's Jetty 9,
      // which the WASB driver loads, for its web UI's Jetty 12): said in a line, never retried.
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String advice = scheme.startsWith("wasb") ? "; the cairn command line cannot load Hadoop's WASB driver (it needs Jetty 9):"
          + " use abfss:// on an account with a hierarchical namespace, or the cairn-storage-hadoop library in a program of your own" : "";
      throw new StorageException("Cannot open storage on " + HadoopErrors.redactUri(uri) + ": the Hadoop client for " + scheme
          + ":// lacks a class in this build (" + String.valueOf(e.getMessage()).replace('/', '.') + ")" + advice, false, e);
    }
    FileSystem owned = fs;
    if (fs instanceof LocalFileSystem local) {
      // The checksummed local file system writes .crc side files; the raw one is plain folders.
      // The wrapper is what Hadoop's cache holds: closing it closes both and leaves the cache.
      fs = local.getRawFileSystem();
    }
    try {
      return new HadoopStorage(uri, fs, owned);
    } catch (IOException | RuntimeException e) {
      try {
        owned.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      if (e instanceof IOException io) {
        throw HadoopErrors.translate("open storage", uri, io);
      }
      throw HadoopErrors.setupFailure("open storage", uri, (RuntimeException) e);
    }
  }

  @Override
  public URI uri() {
    return uri;
  }

  /** How this store commits files. */
  public CommitStyle commitStyle() {
    return style;
  }

  /** The Hadoop file system client, for tests and diagnostics. */
  FileSystem fileSystem() {
    return fs;
  }

  private Path path(String name) throws StorageException {
    if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("\\") || name.contains("//")
        || name.equals(TMP) || name.startsWith(TMP + "/") || Arrays.asList(name.split("/")).contains("..")
        || Arrays.asList(name.split("/")).contains(".")) {
      throw new StorageException("Cannot use remote name '" + name + "'", false);
    }
    // Path(scheme, authority, path): a ':' in a name must not read as a scheme.
    return new Path(root, new Path(null, null, name));
  }

  /** The name of a file below the root, or null for a file elsewhere. */
  private String nameOf(Path p) {
    String full = p.toUri().getPath();
    return full.startsWith(rootPrefix) ? full.substring(rootPrefix.length()) : null;
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    List<RemoteFile> out = list(prefix, Integer.MAX_VALUE);
    out.sort(Comparator.comparing(RemoteFile::name));
    return out;
  }

  @Override
  public List<RemoteFile> list(String prefix, int limit) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return listOnce(prefix, limit);
      } catch (RuntimeException vanished) {
        if (HadoopErrors.isSettingProblem(vanished)) {
          throw HadoopErrors.unchecked("list " + prefix, uri, vanished);
        }
        // Hadoop's local file system stats each entry while listing (running ls for permissions)
        // and throws unchecked when one is deleted meanwhile: list again.
        if (attempt >= 5) {
          throw new StorageException("Cannot list " + prefix + " on " + uri + ": entries kept vanishing", true, vanished);
        }
      }
    }
  }

  private List<RemoteFile> listOnce(String prefix, int limit) throws IOException {
    int slash = prefix.lastIndexOf('/');
    Path dir = slash <= 0 ? root : new Path(root, prefix.substring(0, slash));
    List<RemoteFile> out = new ArrayList<>();
    try {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (out.size() < limit && it.hasNext()) {
        LocatedFileStatus s = it.next();
        String name = nameOf(s.getPath());
        // Cairn's temporary files are not listed; a glance (a limited listing) sees someone's files
        // in a .tmp/ folder.
        boolean hidden = name != null && name.startsWith(TMP + "/") && (limit == Integer.MAX_VALUE || Committer.isTempName(name));
        if (name != null && s.isFile() && name.startsWith(prefix) && !hidden) {
          out.add(new RemoteFile(name, s.getLen()));
        }
      }
    } catch (FileNotFoundException e) {
      return out; // no such folder (yet), or it went away while listing
    } catch (IOException e) {
      throw HadoopErrors.translate("list " + prefix, uri, e);
    }
    return out;
  }

  @Override
  public long size(String name) throws IOException {
    Path p = path(name);
    try {
      FileStatus s = fs.getFileStatus(p);
      return s.isFile() ? s.getLen() : -1;
    } catch (FileNotFoundException e) {
      return -1;
    } catch (RuntimeException e) {
      throw HadoopErrors.unchecked("look for " + name, uri, e);
    } catch (IOException e) {
      throw HadoopErrors.translate("look for " + name, uri, e);
    }
  }

  @Override
  public URI enclosing(String name) throws IOException {
    for (Path p = root.getParent(); p != null; p = p.getParent()) {
      try {
        if (fs.getFileStatus(new Path(p, name)).isFile()) {
          return p.toUri();
        }
      } catch (FileNotFoundException e) {
        // not here: one level up
      } catch (IOException e) {
        // A level this user may not read (a bucket policy that grants one prefix): a guard, not a
        // need, so the look stops here.
        LOG.debug("Stopped looking above {} at {}: {}", HadoopErrors.redactUri(uri), p.toUri().getPath(), e.toString());
        return null;
      }
    }
    return null;
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    Path p = path(name);
    byte[] out = new byte[length];
    try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(p)
        .opt(Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY, Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_RANDOM)
        .build())) {
      in.readFully(offset, out);
      return out;
    } catch (EOFException e) {
      long size = size(name);
      if (size >= 0 && offset + length > size) {
        throw new StorageException("Cannot read " + name + " on " + HadoopErrors.redactUri(uri) + ": file ends before byte "
            + (offset + length), false, e);
      }
      throw HadoopErrors.translate("read " + name, uri, e);
    } catch (IOException e) {
      if (HadoopErrors.isNotFound(e)) {
        throw StorageException.notFound(name);
      }
      throw HadoopErrors.translate("read " + name, uri, e);
    } catch (FSError e) {
      throw HadoopErrors.translate("read " + name, uri, HadoopErrors.unwrap(e));
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    Path p = path(name);
    FSDataInputStream in;
    try {
      in = FutureIO.awaitFuture(fs.openFile(p)
          .opt(Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY, Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_WHOLE_FILE)
          .build());
    } catch (IOException e) {
      if (HadoopErrors.isNotFound(e)) {
        throw StorageException.notFound(name);
      }
      throw HadoopErrors.translate("open " + name, uri, e);
    }
    return new TranslatingStream(in, name);
  }

  @Override
  public void publish(String name, java.nio.file.Path source) throws IOException {
    publish(name, out -> Files.copy(source, out));
  }

  /** {@link #publish(String, java.nio.file.Path)} of what {@code content} writes. */
  void publish(String name, Committer.Content content) throws IOException {
    Path p = path(name);
    try {
      if (fs.exists(p)) {
        return;
      }
      committer.publish(p, content);
    } catch (RuntimeException e) {
      throw HadoopErrors.unchecked("publish " + name, uri, e);
    } catch (IOException e) {
      throw HadoopErrors.translate("publish " + name, uri, e);
    } catch (FSError e) {
      throw HadoopErrors.translate("publish " + name, uri, HadoopErrors.unwrap(e));
    }
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    Path p = path(name);
    try {
      return committer.createIfAbsent(p, out -> out.write(data));
    } catch (RuntimeException e) {
      throw HadoopErrors.unchecked("create " + name, uri, e);
    } catch (IOException e) {
      throw HadoopErrors.translate("create " + name, uri, e);
    } catch (FSError e) {
      throw HadoopErrors.translate("create " + name, uri, HadoopErrors.unwrap(e));
    }
  }

  @Override
  public int removeStaleTemporaryFiles(long olderThanMillis) throws IOException {
    Path dir = new Path(root, TMP);
    long now = System.currentTimeMillis();
    int removed = 0;
    try {
      for (FileStatus s : fs.listStatus(dir)) {
        // A name Cairn did not make is someone's file: kept.
        if (s.isFile() && Committer.isTempName(s.getPath().getName()) && now - s.getModificationTime() >= olderThanMillis
            && fs.delete(s.getPath(), false)) {
          removed++;
        }
      }
    } catch (FileNotFoundException e) {
      return removed; // no temporary folder: nothing was ever written through one
    } catch (RuntimeException e) {
      throw HadoopErrors.unchecked("remove temporary files", uri, e);
    } catch (IOException e) {
      throw HadoopErrors.translate("remove temporary files", uri, e);
    }
    return removed;
  }

  @Override
  public void delete(String name) throws IOException {
    Path p = path(name);
    try {
      fs.delete(p, false);
    } catch (FileNotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      throw HadoopErrors.unchecked("delete " + name, uri, e);
    } catch (IOException e) {
      throw HadoopErrors.translate("delete " + name, uri, e);
    }
  }

  @Override
  public void close() throws IOException {
    owned.close();
  }

  @Override
  public String toString() {
    return "HadoopStorage(" + HadoopErrors.redactUri(uri) + ", " + style + ")";
  }

  /** Reports stream failures as {@link StorageException}s like every other call. */
  private final class TranslatingStream extends FilterInputStream {
    private final String name;

    TranslatingStream(InputStream in, String name) {
      super(in);
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw HadoopErrors.translate("read " + name, uri, e);
      } catch (FSError e) {
        throw HadoopErrors.translate("read " + name, uri, HadoopErrors.unwrap(e));
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw HadoopErrors.translate("read " + name, uri, e);
      } catch (FSError e) {
        throw HadoopErrors.translate("read " + name, uri, HadoopErrors.unwrap(e));
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw HadoopErrors.translate("read " + name, uri, e);
      } catch (FSError e) {
        throw HadoopErrors.translate("read " + name, uri, HadoopErrors.unwrap(e));
      }
    }
  }
}
