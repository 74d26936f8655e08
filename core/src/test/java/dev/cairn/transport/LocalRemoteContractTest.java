package dev.cairn.transport;

/** The remote contract on a local (or network) folder. */
class LocalRemoteContractTest extends AbstractRemoteContractTest {
  @Override
  protected String newLocation(String testName) {
    return tmp.resolve("remote-" + testName).toString();
  }
}
