package dev.cairn.transport;

import dev.cairn.dataset.VersionStrings;
import dev.cairn.internal.pack.PackFormat;
import java.util.regex.Pattern;

/**
 * Names of things on a remote (spec/remote.md):
 * <pre>
 *   cairn-remote                        marker: format version and object format
 *   packs/pack-&lt;name&gt;.pack             immutable packs, same format as local ones
 *   versions/&lt;id&gt;/&lt;seq&gt;.json           a version's record log; the highest seq is current
 *   names/&lt;key&gt;/&lt;version&gt;               version-string reservations (content: the id)
 *   locks/push-, gc-, sweeping          uploads and collections running (RemoteLocks)
 *   locks/incomplete                    versions there lack objects (RemoteFsck)
 *   lost-found/pack-&lt;name&gt;-&lt;millis&gt;.pack damaged packs a repair took out of packs/
 * </pre>
 * Every mutable fact is a new file created only if absent; nothing is ever renamed or overwritten.
 */
public final class RemoteLayout {
  public static final String MARKER = "cairn-remote";
  public static final String PACKS = "packs/";
  public static final String VERSIONS = "versions/";
  public static final String NAMES = "names/";
  /** Damaged packs that {@code fsck --storage --repair} replaced, kept for inspection. */
  public static final String LOST_FOUND = "lost-found/";
  /** Remote format version this build reads and writes. */
  public static final int FORMAT = 1;

  private RemoteLayout() {}

  public static String pack(String name) {
    return PACKS + "pack-" + name + ".pack";
  }

  /** The pack name in a remote file name, or null. */
  public static String packName(String file) {
    if (!file.startsWith(PACKS + "pack-") || !file.endsWith(".pack")) {
      return null;
    }
    String n = file.substring(PACKS.length() + 5, file.length() - 5);
    return PackFormat.isName(n) ? n : null;
  }

  public static String record(String id, long seq) {
    return VERSIONS + id + "/" + String.format("%010d", seq) + ".json";
  }

  /** The sequence number of a record file name, or -1. */
  public static long recordSeq(String file) {
    int slash = file.lastIndexOf('/');
    String n = file.substring(slash + 1);
    if (!n.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(n.substring(0, n.length() - 5));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final Pattern OWN_NAME = Pattern.compile(
      "cairn-remote(-.*)?|packs/pack-[0-9a-f]+\\.pack|versions/[^/]+/[0-9]{10}\\.json|names/[^/]+/[^/]+|locks/[^/]+"
          + "|lost-found/pack-[0-9a-f]+-[0-9]+\\.pack");

  /**
   * Whether a file of this name could be one a remote holds (the layout above, with the marker
   * that a store may stage beside {@link #MARKER} while a first push creates it): a file under
   * {@code packs/} not named as a pack, say, is someone else's.
   */
  public static boolean isOwnName(String file) {
    return OWN_NAME.matcher(file).matches();
  }

  public static String nameReservation(String project, String name, String version) {
    return NAMES + VersionStrings.reservationKey(project, name) + "/" + version;
  }
}
