package dev.cairn.storage;

import dev.cairn.storage.local.LocalStorage;

class LocalStorageContractTest extends AbstractRemoteStorageContractTest {
  @Override
  protected RemoteStorage newStorage() throws Exception {
    return new LocalStorage(tmp.resolve("remote"));
  }
}
