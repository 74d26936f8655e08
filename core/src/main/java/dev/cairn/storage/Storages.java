package dev.cairn.storage;

import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.storage.local.LocalStorage;
import dev.cairn.storage.wrap.RetryingStorage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/** Opens a remote for a URI or path, choosing the provider by scheme. */
public final class Storages {
  private Storages() {}

  /**
   * The address {@code storage} as records name it ({@link #parse}'s URI, as text), or {@code
   * storage} itself when it does not parse (an address an older release recorded otherwise).
   */
  public static String canonical(String storage) {
    try {
      return parse(storage).toString();
    } catch (BadStorageLocationException unparsable) {
      return storage;
    }
  }

  /** Whether two addresses name the same remote ({@code /mnt/x} and {@code file:///mnt/x}); null names none. */
  public static boolean same(String a, String b) {
    return a != null && b != null && canonical(a).equals(canonical(b));
  }

  /**
   * Parses what a user typed: a URI with a scheme ({@code s3a://bucket/data}) or a local path
   * ({@code /mnt/share/cairn}, {@code ../remote}). clearml's {@code s3://bucket/data} reads as
   * {@code s3a://bucket/data}, the name Hadoop gives S3; its
   * {@code azure://ACCOUNT.blob.core.windows.net/CONTAINER/PATH} is refused with ABFS's name for it.
   */
  public static URI parse(String text) throws BadStorageLocationException {
    if (text == null) {
      throw new BadStorageLocationException("Cannot use a storage location: none given");
    }
    String t = text.trim();
    if (t.isEmpty()) {
      throw new BadStorageLocationException("Cannot use an empty storage location");
    }
    if (t.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      String scheme = t.substring(0, t.indexOf(':')).toLowerCase(Locale.ROOT);
      if (scheme.equals("s3")) {
        t = "s3a" + t.substring(2);
      } else if (scheme.equals("azure")) {
        throw new BadStorageLocationException("Cannot use storage location '" + t + "': Azure is reached through Hadoop's ABFS driver, on"
            + " an account with a hierarchical namespace (ADLS Gen2, where it creates files atomically): give " + abfssOf(t));
      }
      try {
        URI u = new URI(t);
        if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
          // Kept in records (and sent to remotes), printed by list: a password must not be part of a location.
          String shown = t.replace(u.getRawUserInfo() + "@", "<user:password>@");
          throw new BadStorageLocationException("Cannot use storage location '" + shown + "': it holds a password, which the"
              + " records and their listings would keep and show; give credentials as settings instead (--conf, or the"
              + " environment: AWS_ACCESS_KEY_ID, ...)" + (scheme.startsWith("http") ? "; a web link that needs a password is not"
              + " supported" : ""));
        }
        if (scheme.equals("http") || scheme.equals("https")) {
          return u; // a web file's URL, query and all (a link, never a remote's root)
        }
        if ("file".equalsIgnoreCase(u.getScheme()) && u.getAuthority() != null && !u.getAuthority().isEmpty()
            && !u.getAuthority().equalsIgnoreCase("localhost")) {
          throw new BadStorageLocationException("Cannot use storage location '" + t + "': file URIs name a folder as file:///path (three"
              + " slashes) or file:/path; '" + u.getAuthority() + "' reads as a host");
        }
        if ("file".equalsIgnoreCase(u.getScheme())) {
          // One spelling per folder (file:/x, file:///x, file://localhost/x/): one remote, one cache.
          if (u.getPath() == null || !u.getPath().startsWith("/")) {
            throw new BadStorageLocationException("Cannot use storage location '" + t + "': a file URI names a folder by its absolute path"
                + " (file:///path)");
          }
          return LocalStorage.uriOf(Path.of(u.getPath()));
        }
        String bucket = BUCKET_WORD.get(scheme.equals("s3") ? "s3a" : scheme);
        if (bucket != null && (u.getAuthority() == null || u.getAuthority().isEmpty())) {
          throw new BadStorageLocationException("Cannot use storage location '" + t + "': it names no " + bucket + " (" + u.getScheme()
              + "://" + bucket.toUpperCase(Locale.ROOT) + "/path)");
        }
        if (bucket == null && u.getAuthority() != null && !u.getAuthority().isEmpty() && u.getHost() == null) {
          throw new BadStorageLocationException("Cannot use storage location '" + t + "': '" + u.getAuthority() + "' is not a host name"
              + " and port (" + u.getScheme() + "://HOST:PORT/path)");
        }
        return u.getPath() != null && u.getPath().endsWith("/") && u.getPath().length() > 1
            ? new URI(t.substring(0, t.length() - 1)) : u;
      } catch (URISyntaxException e) {
        String reason = e.getReason().isEmpty() ? "" : Character.toLowerCase(e.getReason().charAt(0)) + e.getReason().substring(1);
        throw new BadStorageLocationException("Cannot use storage location '" + t + "': not a valid URI (" + reason
            + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + ")");
      }
    }
    return LocalStorage.uriOf(Path.of(t));
  }

  /**
   * The object stores' schemes, whose URIs must name a bucket (or container) before the path, and
   * the word for it. (An {@code hdfs:///path} may rely on the configuration's default file system.)
   */
  private static final java.util.Map<String, String> BUCKET_WORD = java.util.Map.of("s3a", "bucket", "gs", "bucket",
      "abfs", "container@account", "abfss", "container@account", "wasb", "container@account", "wasbs", "container@account",
      "webhdfs", "host:port", "swebhdfs", "host:port");

  /** clearml's {@code azure://ACCOUNT.blob.core.windows.net/CONTAINER/PATH}. */
  private static final java.util.regex.Pattern AZURE = java.util.regex.Pattern.compile(
      "(?i)azure://([a-z0-9]+)\\.blob\\.core\\.windows\\.net/([a-z0-9][a-z0-9-]*)(/.*)?");

  /**
   * clearml's Azure form as Hadoop's ABFS driver names it over TLS (the same account's endpoint for
   * that driver, the container before the {@code @}), or the pattern when it is not of that form.
   * Not taken silently: on a flat-namespace account ABFS creates a file by a copy, not atomically
   * (storage-hadoop/README.md).
   */
  private static String abfssOf(String azure) {
    java.util.regex.Matcher m = AZURE.matcher(azure);
    if (!m.matches()) {
      return "abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH";
    }
    String path = m.group(3) == null ? "" : m.group(3);
    return "abfss://" + m.group(2).toLowerCase(Locale.ROOT) + "@" + m.group(1).toLowerCase(Locale.ROOT) + ".dfs.core.windows.net" + path;
  }

  /** Whether some provider opens {@code uri}'s scheme ({@link #open} refuses the others). */
  public static boolean supports(URI uri, Map<String, String> conf) {
    return providers().stream().anyMatch(p -> p.supports(uri, conf));
  }

  /** The providers found, the local folders' among them, in the order they are asked. */
  private static List<StorageProvider> providers() {
    List<StorageProvider> providers = new ArrayList<>();
    ServiceLoader.load(StorageProvider.class, Storages.class.getClassLoader()).forEach(providers::add);
    providers.add(new LocalStorage.Provider());
    providers.sort(Comparator.comparingInt(StorageProvider::priority));
    return providers;
  }

  /**
   * Opens the remote at {@code uri} with retries on transient failures. {@code file:} URIs open as
   * local folders unless a provider with a lower priority claims them.
   *
   * @throws BadStorageLocationException if no provider supports the scheme
   */
  public static RemoteStorage open(URI uri, Map<String, String> conf) throws IOException {
    List<StorageProvider> providers = providers();
    for (StorageProvider p : providers) {
      if (p.supports(uri, conf)) {
        return new RetryingStorage(p.open(uri, conf), RetryingStorage.Policy.DEFAULT);
      }
    }
    throw new BadStorageLocationException("Cannot open storage " + uri + ": " + unsupported(uri, false));
  }

  /**
   * What a location may name but a folder, the scheme of {@code uri} being one no provider opens:
   * for a remote, or ({@code link}) for an external file, which may also be on a web server.
   */
  public static String unsupported(URI uri, boolean link) {
    return "no support for scheme '" + uri.getScheme() + "'; " + (link ? "a link is an http:// or https:// URL, a local path (or"
        + " file://), or " : "a remote is a local or network folder (a path, or file://), or ") + stores(providers());
  }

  /** The object stores and Hadoop file systems, and whether {@code providers} reach them. */
  private static String stores(List<StorageProvider> providers) {
    boolean hadoopHere = providers.size() > 1; // the local folders' provider is always there
    return "an hdfs://, webhdfs://, viewfs://, s3a:// (s3:// reads as s3a://), abfs://, abfss:// or gs:// location"
        + (hadoopHere ? "" : ", which need the cairn-storage-hadoop module on the classpath (the cairn command line has it)")
        + "; wasb:// and wasbs:// are read by that module in a program of one's own, not by the command line";
  }
}
