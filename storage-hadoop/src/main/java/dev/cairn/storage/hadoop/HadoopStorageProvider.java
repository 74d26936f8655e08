package dev.cairn.storage.hadoop;

import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageProvider;
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
 * {@code cairn.hadoop.file=true}; this provider is asked before LocalStorage's (priority 900
 * against 1000) and claims {@code file:} only then.
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
    return SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  @Override
  public boolean supports(URI uri, Map<String, String> conf) {
    return supports(uri) || ("file".equalsIgnoreCase(uri.getScheme())
        && Boolean.parseBoolean(conf.getOrDefault(HadoopConf.USE_FOR_FILE, "false")));
  }

  @Override
  public int priority() {
    return 900;
  }

  @Override
  public RemoteStorage open(URI uri, Map<String, String> conf) throws IOException {
    return HadoopStorage.open(uri, conf);
  }
}
