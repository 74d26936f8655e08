package dev.cairn.storage.hadoop;

import java.io.File;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real NameNode and DataNode on loopback, with its files under target/. */
final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  static MiniHdfs start(String name) throws IOException {
    File base = new File(System.getProperty("cairn.test.basedir", "target"), "minidfs/" + name + "-" + UUID.randomUUID());
    Configuration conf = new HdfsConfiguration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    conf.setInt("dfs.replication", 1);
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setBoolean("dfs.permissions.enabled", false);
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 1024);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).format(true).build();
    cluster.waitActive();
    return new MiniHdfs(cluster);
  }

  /** hdfs://127.0.0.1:port */
  String uri() {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  MiniDFSCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
