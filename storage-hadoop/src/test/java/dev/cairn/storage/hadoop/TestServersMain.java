package dev.cairn.storage.hadoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the test servers (MiniDFSCluster, S3Proxy, and Azurite when installed) for trying the
 * {@code cairn} command line by hand; prints each remote's URI and its {@code --conf} settings,
 * then runs until killed. Run with the module's test classpath (see the README).
 */
public final class TestServersMain {
  private TestServersMain() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("cairn-servers");
    MiniHdfs hdfs = MiniHdfs.start("manual");
    System.out.println("hdfs  " + hdfs.uri() + "/cairn");
    S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"));
    System.out.println("s3a   s3a://" + S3ProxyServer.BUCKET + "/cairn " + confArgs(s3.conf()));
    AzuriteServer azure = null;
    try {
      azure = AzuriteServer.start(work.resolve("azure"));
      System.out.println("wasb  " + AzuriteServer.root("cairn") + " " + confArgs(azure.conf()));
    } catch (org.opentest4j.TestAbortedException e) {
      System.out.println("wasb  (not started: " + e.getMessage() + ")");
    }
    System.out.println("ready");
    System.out.flush();
    AzuriteServer a = azure;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      s3.close();
      if (a != null) {
        a.close();
      }
      hdfs.close();
    }));
    Thread.sleep(Long.MAX_VALUE);
  }

  private static String confArgs(Map<String, String> conf) {
    StringBuilder sb = new StringBuilder();
    conf.forEach((k, v) -> sb.append(" --conf ").append(k).append('=').append(v));
    return sb.toString().strip();
  }
}
