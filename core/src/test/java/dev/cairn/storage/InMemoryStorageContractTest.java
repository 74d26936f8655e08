package dev.cairn.storage;

import dev.cairn.storage.memory.InMemoryStorage;

class InMemoryStorageContractTest extends AbstractRemoteStorageContractTest {
  @Override
  protected RemoteStorage newStorage() {
    return new InMemoryStorage("contract");
  }
}
