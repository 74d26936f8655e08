package dev.cairn.internal.fs;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code stat} call says about a path: its kind and, for change detection, size,
 * modification and status-change times (nanoseconds), inode, device and the owner's execute bit.
 *
 * <p>A folder scan of a million files is mostly these calls. The JDK's {@code "unix:..."}
 * attribute view, the only public way to the inode and the status-change time, parses its
 * attribute list and builds a map of boxed values at every call (1.8 us a file here, against 1.2
 * us for the {@code stat} alone). When the runtime lets this class read the fields of the JDK's own
 * attribute object ({@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED}, which {@code bin/cairn}
 * gives), it does; otherwise it uses the view, with the same results.
 */
public record FileStat(boolean directory, boolean regularFile, boolean symbolicLink, long size, long mtimeNanos,
    long ctimeNanos, long inode, long device, boolean executable) {

  private static final String UNIX = "unix:size,lastModifiedTime,ctime,ino,dev,mode,isRegularFile,isDirectory,isSymbolicLink";

  /** The JDK's attribute fields, or null when they cannot be read. */
  private static final Fields FIELDS = Fields.find();

  /** Reads {@code p}'s attributes with one {@code stat} (or {@code lstat} with NOFOLLOW_LINKS). */
  public static FileStat of(Path p, LinkOption... options) throws IOException {
    if (FIELDS != null) {
      PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, options);
      if (FIELDS.owner.isInstance(a)) {
        return FIELDS.read(a);
      }
    }
    return viaView(p, options);
  }

  /** Whether {@link #of} reads the JDK's fields directly (for tests and benchmarks). */
  public static boolean fast() {
    return FIELDS != null;
  }

  static FileStat viaView(Path p, LinkOption... options) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(p, UNIX, options);
      return new FileStat((Boolean) a.get("isDirectory"), (Boolean) a.get("isRegularFile"), (Boolean) a.get("isSymbolicLink"),
          (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
          (Long) a.get("ino"), (Long) a.get("dev"), ((Integer) a.get("mode") & 0100) != 0);
    } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
      BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, options);
      boolean exec = false;
      if (b.isRegularFile()) {
        try {
          exec = Files.getPosixFilePermissions(p, options).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException u) {
          exec = false;
        }
      }
      return new FileStat(b.isDirectory(), b.isRegularFile(), b.isSymbolicLink(), b.size(), nanos(b.lastModifiedTime()),
          0, 0, 0, exec);
    }
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /** The {@code struct stat} fields that {@code sun.nio.fs.UnixFileAttributes} keeps. */
  private record Fields(Class<?> owner, VarHandle mode, VarHandle ino, VarHandle dev, VarHandle size, VarHandle mtimeSec,
      VarHandle mtimeNsec, VarHandle ctimeSec, VarHandle ctimeNsec) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    static Fields find() {
      try {
        Class<?> c = Class.forName("sun.nio.fs.UnixFileAttributes");
        MethodHandles.Lookup l = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        return new Fields(c, l.findVarHandle(c, "st_mode", int.class), l.findVarHandle(c, "st_ino", long.class),
            l.findVarHandle(c, "st_dev", long.class), l.findVarHandle(c, "st_size", long.class),
            l.findVarHandle(c, "st_mtime_sec", long.class), l.findVarHandle(c, "st_mtime_nsec", long.class),
            l.findVarHandle(c, "st_ctime_sec", long.class), l.findVarHandle(c, "st_ctime_nsec", long.class));
      } catch (ReflectiveOperationException | RuntimeException closedOrOtherJdk) {
        return null; // not opened to us, or a JDK that keeps them otherwise: use the view
      }
    }

    FileStat read(Object a) {
      int m = (int) mode.get(a);
      int kind = m & S_IFMT;
      return new FileStat(kind == S_IFDIR, kind == S_IFREG, kind == S_IFLNK, (long) size.get(a),
          (long) mtimeSec.get(a) * 1_000_000_000L + (long) mtimeNsec.get(a),
          (long) ctimeSec.get(a) * 1_000_000_000L + (long) ctimeNsec.get(a),
          (long) ino.get(a), (long) dev.get(a), (m & 0100) != 0);
    }
  }
}
