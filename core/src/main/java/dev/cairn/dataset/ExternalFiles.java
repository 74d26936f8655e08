package dev.cairn.dataset;

import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.Hasher;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.FileEntry;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Files that stay where they are (clearml-data's {@code add --links}): any URI a remote reaches,
 * and single files on web servers (http, https).
 * Adding one reads it once to record its size and digest; getting it downloads it and checks both.
 * Keeps the storages it opens until closed. Thread-safe: get and verify read links from several
 * threads, which share the storage of a folder (opened once) and the web client.
 */
final class ExternalFiles implements AutoCloseable {
  private final Map<String, String> conf;
  private final HashAlgorithm algorithm;
  private final Map<URI, RemoteStorage> open = new HashMap<>();
  private final HttpLinks web = new HttpLinks();

  ExternalFiles(Map<String, String> conf, HashAlgorithm algorithm) {
    this.conf = conf;
    this.algorithm = algorithm;
  }

  /** A URI split into the folder a storage is opened on and the file's name in it. */
  private record Location(URI folder, String name) {}

  private static Location locate(String uri) throws InvalidInputException {
    URI u = Storages.parse(uri);
    String path = u.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      throw new InvalidInputException("Cannot link " + uri + ": it names no file or folder");
    }
    int slash = path.lastIndexOf('/');
    String folderPath = slash <= 0 ? "/" : path.substring(0, slash);
    try {
      URI folder = new URI(u.getScheme(), u.getAuthority(), folderPath, null, null);
      return new Location(folder, path.substring(slash + 1));
    } catch (URISyntaxException e) {
      throw new InvalidInputException("Cannot link " + uri + ": " + e.getMessage());
    }
  }

  private synchronized RemoteStorage storage(URI folder) throws IOException {
    RemoteStorage s = open.get(folder);
    if (s == null) {
      if (!Storages.supports(folder, conf)) {
        // Said as a link's, not a remote's: the stores a link may name are the web's too.
        throw new BadStorageLocationException("Cannot link files at " + folder + ": " + Storages.unsupported(folder, true));
      }
      s = Storages.open(folder, conf);
      open.put(folder, s);
    }
    return s;
  }

  /**
   * Entries for the file at {@code uri}, or for every file under it if it is a folder, placed
   * under {@code datasetFolder}.
   */
  List<FileEntry> scan(String given, String datasetFolder, Progress progress) throws IOException {
    return scan(given, datasetFolder, List.of(), true, progress);
  }

  /**
   * As above, keeping of a folder only the files whose relative path or name one of {@code
   * wildcards} matches (all when there is none), and only its direct files unless {@code recursive}.
   */
  List<FileEntry> scan(String given, String datasetFolder, List<Glob> wildcards, boolean recursive, Progress progress) throws IOException {
    // A local path becomes an absolute file: URI (a folder's with a trailing slash, dropped here).
    URI parsed = Storages.parse(given);
    if (HttpLinks.handles(parsed)) {
      String name = webName(given, parsed);
      if (!kept(wildcards, name)) {
        return List.of(); // left out before it is read, as a folder's files are
      }
      FileEntry e = webFile(given, parsed, join(datasetFolder, name));
      progress.advance(e.size());
      return List.of(e);
    }
    String uri = parsed.toString();
    if (given.endsWith("/") && !uri.endsWith("/")) {
      uri += "/";
    }
    Location loc = locate(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
    RemoteStorage s = storage(loc.folder());
    List<FileEntry> out = new ArrayList<>();
    long size = s.size(loc.name());
    if (size >= 0 && !uri.endsWith("/")) {
      if (kept(wildcards, loc.name())) {
        out.add(entry(s, loc.name(), join(datasetFolder, loc.name()), fileUri(loc.folder(), loc.name())));
      }
    } else {
      String prefix = loc.name() + "/";
      List<RemoteFile> files = s.list(prefix);
      if (files.isEmpty()) {
        throw new InvalidInputException("Cannot link " + given + ": no such file or folder");
      }
      for (RemoteFile f : files) {
        String rel = f.name().substring(prefix.length());
        if ((recursive || rel.indexOf('/') < 0) && kept(wildcards, rel)) { // left out before its size and digest are read
          out.add(entry(s, f.name(), join(datasetFolder, rel), fileUri(loc.folder(), f.name())));
        }
        progress.advance(f.size());
      }
    }
    return out;
  }

  /** The name of the one file a web URL names (its last path segment): a web server lists no folder. */
  private static String webName(String given, URI url) throws InvalidInputException {
    String path = url.getPath();
    if (url.getHost() == null || path == null || path.isEmpty() || path.endsWith("/")) {
      throw new InvalidInputException("Cannot link " + given + ": an http(s) link names one file (a web server lists no folder);"
          + " give each file's URL");
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The entry of the web file at {@code url}, read once for its size and digest. */
  private FileEntry webFile(String given, URI url, String datasetPath) throws IOException {
    InputStream opened;
    try {
      opened = web.open(url);
    } catch (StorageException e) {
      if (web.size(url) < 0) {
        throw new InvalidInputException("Cannot link " + given + ": no such file on the server");
      }
      throw e;
    }
    return linkOf(opened, datasetPath, url.toString());
  }

  private static boolean kept(List<Glob> wildcards, String rel) {
    return wildcards.isEmpty() || wildcards.stream().anyMatch(g -> g.matches(rel));
  }

  private static String join(String folder, String rel) throws InvalidInputException {
    String p = folder.isEmpty() ? rel : folder + "/" + rel;
    String problem = DatasetPaths.problem(p);
    if (problem != null) {
      throw new InvalidInputException("Cannot link '" + DatasetPaths.printable(p) + "': " + problem);
    }
    return p;
  }

  /** The link of file {@code name} (a relative path) in {@code folder}: the name percent-encoded. */
  static String fileUri(URI folder, String name) {
    String f = folder.toString();
    StringBuilder sb = new StringBuilder(f.endsWith("/") ? f : f + "/");
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private FileEntry entry(RemoteStorage s, String name, String datasetPath, String uri) throws IOException {
    return linkOf(s.open(name), datasetPath, uri);
  }

  /** The link entry of what {@code opened} streams (closed here), read once for its size and digest. */
  private FileEntry linkOf(InputStream opened, String datasetPath, String uri) throws IOException {
    Hasher h = algorithm.newHasher();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = opened) {
      for (int n; (n = in.read(buf)) > 0; ) {
        h.update(buf, 0, n);
        size += n;
      }
    }
    return FileEntry.link(datasetPath, uri, size, h.digest());
  }

  /** The current size of a linked file, or -1 if it is gone; reads none of its bytes. */
  long size(FileEntry link) throws IOException {
    URI url = Storages.parse(link.uri());
    if (HttpLinks.handles(url)) {
      return web.size(url);
    }
    Location loc = locate(link.uri());
    return storage(loc.folder()).size(loc.name());
  }

  /** Streams the current bytes of a linked file. */
  InputStream open(FileEntry link) throws IOException {
    URI url = Storages.parse(link.uri());
    if (HttpLinks.handles(url)) {
      return web.open(url);
    }
    Location loc = locate(link.uri());
    return storage(loc.folder()).open(loc.name());
  }

  /**
   * Copies a linked file into {@code out}, checking that it still has the size and digest recorded
   * when it was added; never writes more than that size (an archive's entry could not take it).
   *
   * @param action what the copy is for, as the error says it: "get", "export"
   * @throws InvalidInputException if the file changed since it was added
   */
  void copyChecked(FileEntry link, OutputStream out, String action) throws IOException {
    Hasher h = algorithm.newHasher();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    InputStream opened;
    try {
      opened = open(link);
    } catch (StorageException gone) {
      long now;
      try {
        now = size(link);
      } catch (IOException unknown) {
        gone.addSuppressed(unknown);
        throw gone; // whether it is there cannot be told: the first failure says what happened
      }
      if (now >= 0) {
        throw gone;
      }
      // A linked file stays where it was: the storage's "no such file on the remote" would send
      // the user to Cairn's remote.
      throw new InvalidInputException("Cannot " + action + " " + link.path() + ": the linked file " + link.uri() + " is gone (it was"
          + " deleted or moved since it was added)");
    }
    try (InputStream in = opened) {
      for (int n; (n = in.read(buf)) > 0; ) {
        if (size + n > link.size()) {
          size += n; // grew: refused below
          break;
        }
        h.update(buf, 0, n);
        out.write(buf, 0, n);
        size += n;
      }
    }
    if (size != link.size() || !h.digest().equals(link.digest())) {
      throw new InvalidInputException("Cannot " + action + " " + link.path() + ": the linked file " + link.uri() + " changed since it was added");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    for (RemoteStorage s : open.values()) {
      s.close();
    }
    open.clear();
    web.close();
  }
}
