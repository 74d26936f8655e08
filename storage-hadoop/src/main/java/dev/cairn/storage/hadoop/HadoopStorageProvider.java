package dev.cairn.storage.hadoop;

import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageProvider;
import dev.cairn.storage.local.LocalStorage;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code hdfs}, {@code webhdfs}, {@code swebhdfs}, {@code viewfs}, {@code s3a}, {@code wasb},
 * {@code wasbs}, {@code abfs}, {@code abfss} and {@code gs} URIs as {@link HadoopStorage}s.
 *
 * <p>{@code file:} URIs stay with {@link LocalStorage} unless the settings say
 * {@code cairn.hadoop.file=true}. As a provider cannot see the settings when it is chosen, this one
 * is asked before {@link LocalStorage}'s (priority 900 against 1000) and hands {@code file:} back to
 * it unless that key is set.
 */
public final class HadoopStorageProvider implements StorageProvider {
  /** Schemes reached through Hadoop; {@code file} only on request. */
  public static final Set<String> SCHEMES = Set.of("hdfs", "webhdfs", "swebhdfs", "viewfs", "s3a", "wasb", "wasbs", "abfs",
      "abfss", "gs");

  @Override
  public boolean supports(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      return false;
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    return SCHEMES.contains(s) || s.equals("file");
  }

  @Override
  public int priority() {
    return 900;
  }

  @Override
  public RemoteStorage open(URI uri, Map<String, String> conf) throws IOException {
    if ("file".equalsIgnoreCase(uri.getScheme()) && !Boolean.parseBoolean(conf.getOrDefault(HadoopConf.USE_FOR_FILE, "false"))) {
      return new LocalStorage.Provider().open(uri, conf);
    }
    return HadoopStorage.open(uri, conf);
  }
}
