package dev.cairn.cli;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.gc.GarbageCollector;
import dev.cairn.transport.RemoteGarbageCollector;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gc", description = "Delete objects no version needs and repack small packs; safe while other commands run. A pack"
    + " that holds mostly live objects is left as it is, within --max-unused. Packs and "
    + "temporary files younger than --grace are kept (on a remote, temporary files only: uploads wait "
    + "while it runs, so its packs need no grace). On a remote, what only a draft's upload sent is no version's yet, and goes: "
    + "the draft's close sends it again.")
final class GcCommand extends Base {
  @Option(names = "--grace", paramLabel = "DURATION", description = "Keep what is younger than this (default 1h; e.g. 30m, 2h, 0s):"
      + " packs and temporary files here, temporary files on a remote (and those of the last minute whatever it says).")
  String grace = "1h";

  @Option(names = "--storage", paramLabel = "URI", description = "Collect this remote instead of the local repository (runs alone: uploads wait for it).")
  String storage;

  @Option(names = "--max-unused", paramLabel = "PERCENT", description = "Leave packs that hold mostly live objects as they are while the"
      + " objects no version needs take at most this share of all packs' bytes (default 5%%, as restic's prune); 0 rewrites every pack"
      + " holding one, so that nothing a deleted version alone held stays stored.")
  String maxUnused = "5%";

  @Override
  String existingRemote() {
    return storage;
  }

  @Override
  int run() throws Exception {
    long graceMillis;
    try {
      graceMillis = parseDuration(grace);
    } catch (InvalidInputException notADuration) {
      throw badValue(notADuration.getMessage()); // a value that does not parse, as picocli's own: exit 2
    }
    double unused = parseShare(maxUnused);
    if (storage != null) {
      return collectRemote(graceMillis, unused);
    }
    GarbageCollector.Result r = new GarbageCollector(repo(), graceMillis, Math.min(2_000, Math.max(200, graceMillis / 100)), progress())
        .maxUnused(unused).run();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("packs_deleted", r.packsDeleted());
      m.put("packs_written", r.packsWritten());
      m.put("objects_kept", r.objectsKept());
      m.put("objects_deleted", r.objectsDeleted());
      m.put("bytes_freed", r.bytesFreed());
      m.put("leftovers_removed", r.leftoversRemoved());
      m.put("young_packs", r.youngPacks());
      m.put("young_bytes", r.youngBytes());
      m.put("held_for_running_command", r.heldForCommand());
      m.put("unused_bytes_kept", r.unusedBytesKept());
      printJson(m);
    } else {
      out().printf("Deleted %s (%s freed): %s removed, %d written with the live objects they held; removed %s%n",
          Format.count(r.objectsDeleted(), "object"), Format.bytes(r.bytesFreed()), Format.count(r.packsDeleted(), "pack"),
          r.packsWritten(), Format.count(r.leftoversRemoved(), "leftover"));
      if (r.youngPacks() > 0) {
        // What a delete just made frees: nothing yet, when its data is in packs this young. With no
        // grace, a pack this gc found unindexed (a killed command's), and so freshened, is one.
        String young = graceMillis == 0 ? "written or found unindexed a moment ago" : "younger than the grace of " + grace;
        String sooner = graceMillis == 0 ? "" : " (or now with --grace 0s, when no other command runs)";
        out().printf("Left alone: %s holding objects no version needs (%s in all, the live objects they hold too), %s;"
            + " those objects go at a gc after that%s%n",
            Format.count(r.youngPacks(), "pack"), Format.bytes(r.youngBytes()), r.heldForCommand()
                ? young + " or written since a running command began (it may still need them)"
                : young, r.heldForCommand() ? " command ends" : sooner);
      }
      printUnusedKept(r.unusedBytesKept());
    }
    return 0;
  }

  /** Says what objects no version needs were left in packs mostly live, and how to free them. */
  private void printUnusedKept(long bytes) {
    if (bytes > 0) {
      out().printf("Left in place: about %s of objects no version needs, in packs that hold mostly live ones (within --max-unused %s;"
          + " --max-unused 0 rewrites those packs too)%n", Format.bytes(bytes), maxUnused);
    }
  }

  /** A share given as a percentage, {@code 5%} or {@code 5}, from 0 to 100. */
  private double parseShare(String s) throws Exception {
    String t = s.trim();
    t = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
    double percent;
    try {
      percent = Double.parseDouble(t);
    } catch (NumberFormatException notANumber) {
      percent = Double.NaN;
    }
    if (!(percent >= 0 && percent <= 100) || !t.matches("[0-9.]+")) {
      throw badValue("Cannot use --max-unused " + s + ": give a percentage from 0 to 100, such as 5% or 0");
    }
    return percent / 100;
  }

  private int collectRemote(long graceMillis, double unused) throws Exception {
    RemoteGarbageCollector.Result r;
    try (var remote = repo().openRemote(storage)) {
      r = new RemoteGarbageCollector(remote, repo().repository(), graceMillis, progress()).maxUnused(unused).run();
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("storage", uri(storage));
      m.put("packs_deleted", r.packsDeleted());
      m.put("packs_written", r.packsWritten());
      m.put("objects_kept", r.objectsKept());
      m.put("objects_deleted", r.objectsDeleted());
      m.put("bytes_freed", r.bytesFreed());
      m.put("temporary_files_removed", r.temporaryFilesRemoved());
      m.put("unused_bytes_kept", r.unusedBytesKept());
      printJson(m);
    } else {
      out().printf("%s: deleted %s (%s freed): %s removed, %d written with the live objects they held; removed %s%n",
          storage, Format.count(r.objectsDeleted(), "object"), Format.bytes(r.bytesFreed()), Format.count(r.packsDeleted(), "pack"),
          r.packsWritten(), Format.count(r.temporaryFilesRemoved(), "temporary file"));
      printUnusedKept(r.unusedBytesKept());
    }
    return 0;
  }

  static long parseDuration(String s) throws InvalidInputException {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.matches("0+")) {
      return 0; // no unit needed
    }
    if (t.matches("\\d+")) {
      throw new InvalidInputException("Cannot use --grace " + s + ": give its unit, as in " + t + "s, " + t + "m or " + t + "h");
    }
    try {
      if (t.matches("\\d+(ms|s|m|h|d)")) {
        long n = Long.parseLong(t.replaceAll("\\D", ""));
        return Math.multiplyExact(n, switch (t.replaceAll("\\d", "")) {
          case "ms" -> 1L;
          case "s" -> 1000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        });
      }
      long millis = Duration.parse(t.startsWith("p") ? t : "PT" + t).toMillis();
      if (millis < 0) {
        throw new InvalidInputException("Cannot use --grace " + s + ": a duration cannot be negative");
      }
      return millis;
    } catch (ArithmeticException | NumberFormatException tooLong) {
      if (t.matches("\\d+(ms|s|m|h|d)") || t.matches("p?t?\\d+[a-z]*")) {
        throw new InvalidInputException("Cannot use --grace " + s + ": too long a duration");
      }
      throw new InvalidInputException("Cannot use --grace " + s + ": give a duration such as 30m, 2h or 0s");
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("Cannot use --grace " + s + ": "
          + (e.getCause() instanceof ArithmeticException ? "too long a duration" : "give a duration such as 30m, 2h or 0s"));
    }
  }
}
