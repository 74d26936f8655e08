package dev.cairn.storage.hadoop;

import java.io.File;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Builds the Hadoop {@link Configuration} of a remote, in Hadoop's own order: {@code core-default.xml}
 * and {@code core-site.xml} from the classpath, then {@code core-site.xml} and {@code hdfs-site.xml}
 * from {@code $HADOOP_CONF_DIR}, then Cairn's defaults for settings left unset, then the
 * {@code --conf key=value} settings, which win.
 */
final class HadoopConf {
  /** Set to {@code true} to reach {@code file:} URIs through Hadoop's local file system. */
  static final String USE_FOR_FILE = "cairn.hadoop.file";
  /** S3A's switch for {@code If-None-Match} creates (hadoop-aws 3.4.2 and later). */
  static final String S3A_CONDITIONAL_CREATE = "fs.s3a.create.conditional.enabled";

  /** Hadoop's switch for closing every file system at the JVM's exit. */
  static final String AUTOMATIC_CLOSE = "fs.automatic.close";

  /** Settings Cairn gives when neither Hadoop's site files nor {@code --conf} set them. */
  static final Map<String, String> CAIRN_DEFAULTS = Map.of(
      "fs.s3a.retry.limit", "1",
      "fs.s3a.retry.interval", "250ms",
      "fs.s3a.attempts.maximum", "2",
      "fs.s3a.connection.establish.timeout", "10s",
      // A socket that answers nothing for a minute is a stalled store (the AWS SDK's own default is
      // 50 s); S3A's 200 s, under both layers of retries, hung a command for most of an hour.
      "fs.s3a.connection.timeout", "60s",
      // A part of a multipart upload to a store that stopped reading blocks in a socket write,
      // which no read timeout ends: S3A's own limit for it, 15 minutes, held an upload 20 minutes.
      // Five minutes still lets four 64 MiB parts at once through a link of 1 MiB/s.
      "fs.s3a.connection.part.upload.timeout", "5m",
      // An HDFS NameNode that accepts a call and never answers (a frozen process) held an upload for
      // as long as it stayed so: a call now fails after a minute.
      "ipc.client.rpc-timeout.ms", "60000",
      // Hadoop closes every file system in a hook of its own when the JVM exits, beside Cairn's hook
      // that deletes the remote's locks a command held when it was stopped (Ctrl-C): an S3A or HDFS
      // client closed first failed that delete ("FileSystem is closed!"), and the lock stayed for
      // an hour. Cairn closes each file system it opens itself.
      AUTOMATIC_CLOSE, "false");

  private HadoopConf() {}

  static Configuration build(Map<String, String> settings) {
    return build(settings, System.getenv("HADOOP_CONF_DIR"));
  }

  static Configuration build(Map<String, String> settings, String confDir) {
    Configuration conf = new Configuration();
    if (confDir != null && !confDir.isBlank()) {
      for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
        File f = new File(confDir, name);
        if (f.isFile()) {
          conf.addResource(new Path(f.toURI()));
        }
      }
    }
    if (conf.get(S3A_CONDITIONAL_CREATE) == null) {
      conf.setBoolean(S3A_CONDITIONAL_CREATE, true);
    }
    // Cairn retries every storage call itself (RetryingStorage: 6 attempts, 100 ms to 5 s apart).
    // Under it, S3A's own retries (7 of its attempts, each of up to 5 of the AWS SDK's) multiplied
    // into a quarter of an hour before a store that refuses connections was said to be down; a
    // little of each is kept, throttling's retries (their own settings) as they are.
    CAIRN_DEFAULTS.forEach((key, value) -> {
      if (conf.get(key) == null || conf.getPropertySources(key) == null
          || Arrays.stream(conf.getPropertySources(key)).allMatch(src -> src.endsWith("-default.xml"))) {
        conf.set(key, value);
      }
    });
    settings.forEach(conf::set);
    return conf;
  }
}
