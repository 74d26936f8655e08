package dev.cairn.storage.hadoop;

import java.util.Map;

/** The storage contract for {@code file:} through Hadoop's raw local file system. */
class LocalHadoopStorageContractTest extends AbstractHadoopStorageContractTest {
  @Override
  protected Map<String, String> conf() {
    return Map.of(HadoopConf.USE_FOR_FILE, "true");
  }

  @Override
  protected String newRoot() {
    return tmp.resolve(unique("remote")).toUri().toString();
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.HARD_LINK;
  }
}
