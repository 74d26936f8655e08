package dev.cairn.storage.hadoop;

import dev.cairn.transport.AbstractRemoteContractTest;
import java.util.Map;

/** The dataset-level remote contract for {@code file:} URIs through Hadoop ({@code cairn.hadoop.file=true}). */
class LocalHadoopRemoteContractTest extends AbstractRemoteContractTest {
  @Override
  protected Map<String, String> conf() {
    return Map.of(HadoopConf.USE_FOR_FILE, "true");
  }

  @Override
  protected String newLocation(String testName) {
    return tmp.resolve("remote-" + testName).toUri().toString();
  }
}
