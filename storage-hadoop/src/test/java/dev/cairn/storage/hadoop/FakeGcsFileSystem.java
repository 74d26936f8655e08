package dev.cairn.storage.hadoop;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A stand-in for the GCS connector ({@code fs.gs.impl}) with object-store semantics, kept in a
 * local folder ({@code fs.gs.fake.root}) so that several processes share one "bucket":
 * <ul>
 *   <li>an object appears only when its upload stream closes, whole;
 *   <li>{@code create(path, overwrite=false)} is checked at create and again, atomically, when the
 *       upload completes (GCS's {@code ifGenerationMatch=0}): the loser's close fails with
 *       {@link FileAlreadyExistsException};
 *   <li>there is no rename: Cairn must never need one on an object store, so it throws.
 * </ul>
 */
public final class FakeGcsFileSystem extends FileSystem {
  /** Folder holding one subfolder per bucket. */
  public static final String ROOT_KEY = "fs.gs.fake.root";
  private static final String UPLOADS = ".uploads";

  private URI uri;
  private java.nio.file.Path bucketDir;
  private java.nio.file.Path uploads;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    String root = conf.get(ROOT_KEY);
    if (root == null) {
      throw new IOException("Cannot start the fake GCS: " + ROOT_KEY + " is not set");
    }
    this.uri = URI.create("gs://" + name.getAuthority());
    this.bucketDir = java.nio.file.Path.of(root).resolve(name.getAuthority());
    this.uploads = java.nio.file.Path.of(root).resolve(UPLOADS);
    Files.createDirectories(bucketDir);
    Files.createDirectories(uploads);
    setConf(conf);
  }

  @Override
  public String getScheme() {
    return "gs";
  }

  @Override
  public URI getUri() {
    return uri;
  }

  private java.nio.file.Path local(Path p) {
    String path = makeQualified(p).toUri().getPath();
    return path.equals("/") || path.isEmpty() ? bucketDir : bucketDir.resolve(path.substring(1));
  }

  private Path hadoopPath(java.nio.file.Path local) {
    String rel = bucketDir.relativize(local).toString().replace('\\', '/');
    return new Path(uri.getScheme(), uri.getAuthority(), "/" + rel);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    java.nio.file.Path file = local(f);
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException(f.toString());
    }
    return new FSDataInputStream(new ChannelInputStream(FileChannel.open(file, StandardOpenOption.READ)));
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    java.nio.file.Path target = local(f);
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(f.toString());
    }
    java.nio.file.Path staging = uploads.resolve(UUID.randomUUID().toString());
    OutputStream out = Files.newOutputStream(staging);
    return new FSDataOutputStream(new OutputStream() {
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        out.close();
        try {
          Files.createDirectories(target.getParent());
          if (overwrite) {
            Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } else {
            try {
              Files.createLink(target, staging);
            } catch (java.nio.file.FileAlreadyExistsException e) {
              throw new FileAlreadyExistsException("412 Precondition Failed: " + f + " exists");
            }
          }
        } finally {
          Files.deleteIfExists(staging);
        }
      }
    }, statistics);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) {
    throw new UnsupportedOperationException("objects cannot be appended to");
  }

  @Override
  public boolean rename(Path src, Path dst) {
    throw new UnsupportedOperationException("the fake object store has no rename, and Cairn must not need one");
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    java.nio.file.Path p = local(f);
    if (!Files.exists(p)) {
      return false;
    }
    if (Files.isDirectory(p)) {
      if (!recursive) {
        try (Stream<java.nio.file.Path> s = Files.list(p)) {
          if (s.findAny().isPresent()) {
            throw new IOException("not empty: " + f);
          }
        }
      }
      try (Stream<java.nio.file.Path> s = Files.walk(p)) {
        for (java.nio.file.Path q : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      }
      return true;
    }
    return Files.deleteIfExists(p);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    java.nio.file.Path p = local(f);
    if (Files.isRegularFile(p)) {
      return new FileStatus[] {getFileStatus(f)};
    }
    if (!Files.isDirectory(p)) {
      throw new FileNotFoundException(f.toString());
    }
    List<FileStatus> out = new ArrayList<>();
    try (Stream<java.nio.file.Path> s = Files.list(p)) {
      for (java.nio.file.Path q : s.sorted().toList()) {
        try {
          out.add(status(q));
        } catch (FileNotFoundException gone) {
          // deleted while listing
        }
      }
    }
    return out.toArray(FileStatus[]::new);
  }

  private FileStatus status(java.nio.file.Path q) throws IOException {
    try {
      boolean dir = Files.isDirectory(q);
      long len = dir ? 0 : Files.size(q);
      return new FileStatus(len, dir, 1, 64 << 20, Files.getLastModifiedTime(q).toMillis(), hadoopPath(q));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(q.toString());
    }
  }

  @Override
  public void setWorkingDirectory(Path newDir) {}

  @Override
  public Path getWorkingDirectory() {
    return new Path(uri.getScheme(), uri.getAuthority(), "/");
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    Files.createDirectories(local(f));
    return true;
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    java.nio.file.Path p = local(f);
    if (!Files.exists(p)) {
      throw new FileNotFoundException(f.toString());
    }
    return status(p);
  }

  /** Positional reads over a file channel. */
  private static final class ChannelInputStream extends FSInputStream {
    private final FileChannel ch;
    private long pos;

    ChannelInputStream(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public synchronized void seek(long p) throws IOException {
      if (p < 0 || p > ch.size()) {
        throw new EOFException("seek to " + p + " outside the object");
      }
      pos = p;
    }

    @Override
    public synchronized long getPos() {
      return pos;
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
      return false;
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = ch.read(ByteBuffer.wrap(b, off, len), pos);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
