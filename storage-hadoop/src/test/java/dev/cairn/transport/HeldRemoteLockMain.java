package dev.cairn.transport;

import dev.cairn.storage.hadoop.HadoopStorage;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Takes a collection lock on a remote reached through Hadoop and holds it until stopped: a process
 * stopped by a signal deletes its locks as it exits (spec/remote.md, "Locks"). Arguments: the
 * remote's URI, then Hadoop settings as {@code key=value}. Prints {@code held <lock>} once it holds it.
 */
public final class HeldRemoteLockMain {
  private HeldRemoteLockMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    HadoopStorage storage = HadoopStorage.open(URI.create(args[0]), settings);
    RemoteLocks.Held held = RemoteLocks.gc(storage);
    System.out.println("held " + held.name());
    System.out.flush();
    Thread.sleep(600_000);
  }
}
