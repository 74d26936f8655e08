package dev.cairn.storage;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Opens remotes for some URI schemes; found with {@link java.util.ServiceLoader}, so that a module
 * such as {@code storage-hadoop} adds schemes without {@code core} depending on it.
 */
public interface StorageProvider {
  /** Whether this provider opens {@code uri}. */
  boolean supports(URI uri);

  /**
   * Whether this provider opens {@code uri} with these settings; by default as
   * {@link #supports(URI)}. A provider may claim a URI only when asked to by a setting.
   */
  default boolean supports(URI uri, Map<String, String> conf) {
    return supports(uri);
  }

  /** Lower wins when several providers support a URI. */
  default int priority() {
    return 100;
  }

  /**
   * Opens a remote rooted at {@code uri}.
   *
   * @param conf settings ({@code --conf key=value}), passed to the implementation as they are
   */
  RemoteStorage open(URI uri, Map<String, String> conf) throws IOException;
}
