package dev.cairn.cli;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.fs.Trees;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** Turns any failure into one line on stderr and a non-zero exit; {@code --debug} adds the trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
  /** Exit code of a failed command. */
  static final int FAILED = 1;
  /** Exit code of a command line that does not parse. */
  static final int USAGE = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    boolean debug = false;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      debug |= p.hasMatchedOption("--debug");
    }
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    if (ExitCleanup.exiting() && !debug) {
      return FAILED; // interrupted: the interruption's own line says what happened, not what failed after it
    }
    // Whatever a message quotes of the user's input, no control character reaches the terminal.
    cl.getErr().println("cairn: " + DatasetPaths.printable(capped(oneLine(t))));
    if (debug) {
      e.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return t instanceof UsageException ? USAGE : FAILED;
  }

  /** The remote a damaged object was read from ({@code URI/packs/...}), or null for a local file. */
  static String remoteOf(String where) {
    if (where == null || !where.contains("://")) {
      return null;
    }
    for (String part : new String[] {"/packs/", "/versions/", "/names/"}) {
      int at = where.lastIndexOf(part);
      if (at > 0) {
        return where.substring(0, at);
      }
    }
    return where;
  }

  /** How a read from a remote names it: "Cannot read object on remote URI: ...". */
  private static final Pattern ON_REMOTE = Pattern.compile("on remote (\\S+): ");

  /** How the catalog says that no local version has an id. */
  private static final Pattern NO_ID = Pattern.compile("no version (?:id starts with|with id) ([0-9a-f]+)$");

  /** {@code t} as one line, with what to do next when the command changed nothing. */
  static String oneLine(Throwable t) {
    return oneLine(t, true);
  }

  /**
   * {@code t} as one line; {@code changedNothing} says that the failed command left everything as
   * it was (false for a step that failed after others took effect, a close's upload say).
   */
  static String oneLine(Throwable t, boolean changedNothing) {
    String msg = t instanceof CairnException c ? c.commandLineMessage() : t.getMessage(); // advice in flags, not in Java calls
    if (t instanceof FileSystemException fse && msg != null) {
      for (String file : new String[] {fse.getFile(), fse.getOtherFile()}) {
        if (file != null && file.length() > LONG_PATH) { // "File name too long" would print the whole of it
          int head = file.offsetByCodePoints(0, file.codePointCount(0, LONG_PATH / 2)); // not inside a surrogate pair
          int tail = file.offsetByCodePoints(0, file.codePointCount(0, file.length() - LONG_PATH / 4));
          msg = msg.replace(file, file.substring(0, head) + "…" + file.substring(tail)
              + " (" + file.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        }
      }
    }
    String full = changedNothing ? "; no version was changed (what it stored before the disk filled is reused when it runs again, or freed by"
        + " cairn gc), free some space"
        + " and run the command again" : "; free some space";
    if (t instanceof Base.DestinationFull || t instanceof Base.UploadFailed) {
      // names the place that filled, or what took effect before the upload failed; says what to do
    } else if (t instanceof NoSuchFileException) {
      msg = "no such file or folder: " + msg;
    } else if (t instanceof AccessDeniedException denied && denied.getFile() != null
        && AtomicFiles.isTempName(Path.of(denied.getFile()).getFileName().toString())) {
      // A file written under a temporary name first: the user knows the folder, not that name.
      Path parent = Path.of(denied.getFile()).getParent();
      msg = "permission denied: cannot write in " + (parent == null ? "the current folder" : parent);
    } else if (t instanceof AccessDeniedException) {
      msg = "permission denied: " + msg;
    } else if (t instanceof FileAlreadyExistsException) {
      msg = "something else is in the way: " + msg;
    } else if (t instanceof NotDirectoryException) {
      msg = "not a folder: " + msg;
    } else if (t instanceof FileSystemException fse && "Not a directory".equals(fse.getReason()) && fse.getFile() != null) {
      // A path through a file: the file is what the user must see, not the path it blocks.
      Path blocker = fileAbove(Path.of(fse.getFile()));
      msg = blocker == null ? "not a folder: " + msg : "not a folder: " + blocker + " is a file, in the way of " + fse.getFile();
    } else if (t instanceof FileSystemException fse && msg != null && msg.contains("No space left")) {
      // A copy names its source first; the space ran out where it was writing to.
      String where = fse.getOtherFile() != null ? fse.getOtherFile() : fse.getFile();
      msg = "disk full" + (where == null ? "" : ": " + where) + full;
    } else if (t instanceof FileSystemException fse && "File name too long".equals(fse.getReason())) {
      // A dataset path may take up to 4096 bytes, and the system allows no more for a whole path:
      // deep in a long folder (or the hidden one a copy is built in), a version does not fit.
      msg = msg + "; the system allows 4096 bytes for a whole path, or 255 for a name (a folder deeper than that cannot be read"
          + " by its path: move its deepest part up, or add it from an archive; a version too deep for a folder: get it into"
          + " one with a shorter path, or write an archive with cairn export and extract it where it fits)";
    } else if (t instanceof FileSystemException fse && IoErrors.isReadOnlyFileSystem(fse)) {
      String where = fse.getOtherFile() != null ? fse.getOtherFile() : fse.getFile();
      Path folder = where == null ? null : Path.of(where).getParent();
      msg = "cannot write to " + (folder == null ? "a read-only file system" : folder + ": the file system is read-only");
    } else if (diskFull(t)) {
      // Also the index's own (LMDB reports ENOSPC from a commit as a native error, not an IOException).
      msg = "disk full" + full;
    } else if (t.getClass().getName().startsWith("org.lmdbjava.") || t.getClass().getName().startsWith("jnr.")) {
      // The index's own error (an I/O error from its native library, say): it names no file.
      msg = "the index (LMDB) failed: " + msg + "; cairn fsck checks it (an index is rebuilt from the packs by cairn fsck --repair)";
    } else if ((t instanceof MissingObjectException || t instanceof CorruptObjectException)
        && msg != null && !msg.contains("fsck") && !msg.contains("fetch")) {
      // Data lost or damaged here, or on a remote read: say what finds it all.
      String remote = t instanceof CorruptObjectException c ? remoteOf(c.where()) : null;
      Matcher onRemote = ON_REMOTE.matcher(msg);
      if (remote == null && onRemote.find()) {
        remote = onRemote.group(1);
      }
      msg = msg + (remote == null ? "; cairn fsck checks the whole repository"
          : "; cairn fsck --storage " + remote + " --read-data checks that remote");
    } else if (t instanceof DatasetNotFoundException && msg != null && NO_ID.matcher(msg).find() && !msg.contains("--storage")) {
      Matcher m = NO_ID.matcher(msg);
      m.find();
      String prefix = m.group(1);
      msg = msg + " here (a version only a remote holds is fetched with cairn get --id " + prefix + " --storage URI)";
    } else if (msg == null || msg.isBlank()) {
      msg = t.getClass().getSimpleName();
    } else if (!(t instanceof IOException) && !(t instanceof IllegalArgumentException) && !(t instanceof IllegalStateException)
        && !(t instanceof ParameterException)) {
      msg = t.getClass().getSimpleName() + ": " + msg;
    }
    // Cairn's own messages and the parser's are one line, but may quote a value holding a line
    // break, which the caller prints escaped (\x0a): cut there, the message would end mid-value.
    // A library's may run to several lines: its first says what went wrong.
    return t instanceof CairnException || t instanceof ParameterException ? msg : msg.lines().findFirst().orElse(msg);
  }

  /**
   * Whether {@code t} or a cause is the file system's or the index's own report of a full disk: an
   * I/O error saying "No space left", or an LMDB error with ENOSPC's code. (Not any message with
   * those words: a dataset or file may be named so.)
   */
  static boolean diskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (c instanceof IOException && m != null && m.contains("No space left")) {
        return true;
      }
      if (c instanceof org.lmdbjava.LmdbNativeException n && n.getResultCode() == ENOSPC) {
        return true;
      }
    }
    return false;
  }

  /** Longest message printed whole: one that quotes a huge value (a 100 KB --version) is cut in the middle. */
  private static final int LONG_MESSAGE = 2000;

  /** {@code message}, cut in the middle when longer than {@link #LONG_MESSAGE}, saying how long it was. */
  static String capped(String message) {
    return LongText.cut(message, LONG_MESSAGE);
  }

  /** Paths longer than this are shown cut in the middle. */
  private static final int LONG_PATH = 240;

  /** The C library's code for a full disk, as LMDB returns it. */
  private static final int ENOSPC = 28;

  /**
   * The words of ClearML (its SDK's methods), Git and DVC that a newcomer types for a cairn command,
   * answered with the command when no typo of one is closer.
   */
  private static final java.util.Map<String, String> OTHER_TOOLS_COMMANDS = java.util.Map.ofEntries(
      java.util.Map.entry("finalize", "close"), java.util.Map.entry("commit", "close"), java.util.Map.entry("push", "upload"),
      java.util.Map.entry("pull", "get"), java.util.Map.entry("checkout", "get"), java.util.Map.entry("clone", "get"),
      java.util.Map.entry("ls", "list"), java.util.Map.entry("rm", "remove"), java.util.Map.entry("mv", "move"),
      java.util.Map.entry("status", "verify --folder DIR"), java.util.Map.entry("diff", "compare"), java.util.Map.entry("info", "show"),
      java.util.Map.entry("history", "show --lineage"), java.util.Map.entry("restore", "get"), java.util.Map.entry("fetch", "get"),
      java.util.Map.entry("prune", "gc"), java.util.Map.entry("forget", "delete"), java.util.Map.entry("snapshots", "search"),
      java.util.Map.entry("check", "verify"), java.util.Map.entry("stats", "show"), java.util.Map.entry("download", "get"),
      java.util.Map.entry("set-metadata", "metadata --set"), java.util.Map.entry("get-metadata", "metadata"),
      java.util.Map.entry("set-tags", "tags --add"), java.util.Map.entry("describe", "set-description"));

  /** The nearest existing path above {@code p} if it is not a folder, else null. */
  private static Path fileAbove(Path p) {
    Path parent = p.toAbsolutePath().getParent();
    Path up = parent == null ? null : Trees.nearestExisting(parent);
    return up == null || Files.isDirectory(up) ? null : up;
  }

  /** Options of the ClearML SDK a newcomer types, with what gives the same here. */
  private static final java.util.Map<String, String> OTHER_TOOLS_OPTIONS = java.util.Map.of(
      "--mutable", "a copy to change is get --copy DIR", "--finalize", "close finalizes");

  /** Bad command lines: one line naming the problem and where to find help. */
  static final class Parameters implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      String message = oneLine(ex).replace("option option ", "option "); // picocli's wording for a map option
      if (ex instanceof picocli.CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof CommandLine.Model.OptionSpec given) {
        message = "Cannot give " + given.longestName() + " twice" + (given.arity().max() == 0 ? "" : ": it takes one " + given.paramLabel());
      }
      if (ex instanceof picocli.CommandLine.UnmatchedArgumentException u && cl.getCommandSpec().parent() == null
          && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
        String typed = u.getUnmatched().get(0);
        String near = didYouMean(typed, cl.getSubcommands().keySet());
        String ours = OTHER_TOOLS_COMMANDS.get(typed);
        // Another tool's word is answered with ours first: "clone" is git's, not a typo of "close".
        message = "'" + typed + "' is not a cairn command" + (ours != null ? " (cairn " + ours + " does that)" : near);
      }
      String unknown = ex instanceof picocli.CommandLine.MissingParameterException
          || (ex instanceof picocli.CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
              && u.getUnmatched().get(0).startsWith("-")) ? unknownOption(cl, args) : null;
      if (unknown != null) {
        // A mistyped option leaves the one it meant missing: the typo is the news, not the absence.
        java.util.Set<String> known = new java.util.TreeSet<>();
        for (CommandLine.Model.CommandSpec spec = cl.getCommandSpec(); spec != null; spec = spec.parent()) {
          spec.options().forEach(o -> known.addAll(Arrays.asList(o.names())));
        }
        String near = didYouMean(unknown, known);
        String ours = OTHER_TOOLS_OPTIONS.get(unknown);
        message = "Unknown option: '" + unknown + "'" + (near.isEmpty() && ours != null ? " (" + ours + ")" : near);
      } else if (ex instanceof picocli.CommandLine.UnmatchedArgumentException u && cl.getCommandSpec().parent() != null
          && cl.getCommandSpec().positionalParameters().isEmpty() && !u.getUnmatched().isEmpty()) {
        // A word where only options go ("add data/", or anything after "--"): say that, not "unmatched".
        String first = u.getUnmatched().get(0);
        int end = Arrays.asList(args).indexOf("--");
        boolean afterEnd = end >= 0 && Arrays.asList(args).subList(end + 1, args.length).contains(first)
            && !Arrays.asList(args).subList(0, end).contains(first);
        message = cl.getCommandSpec().name() + " takes no arguments, only options: '" + first + "'"
            + (afterEnd ? " comes after '--', which ends the options" : " is not an option" + optionFor(cl, first));
      } else if (ex instanceof picocli.CommandLine.MissingParameterException && cl.getCommandSpec().parent() != null
          && cl.getCommandSpec().positionalParameters().isEmpty()) {
        // "sync data": the folder typed without its option, which is then missing.
        String bare = bareWord(cl, args);
        message += bare == null ? "" : optionFor(cl, bare);
      }
      // picocli ends some of its sentences with a period ("Unknown subcommand 'x'."): not before the hint.
      message = message.endsWith(".") && !message.endsWith("..") ? message.substring(0, message.length() - 1) : message;
      cl.getErr().println("cairn: " + DatasetPaths.printable(capped(message)) + " (see '"
          + cl.getCommandSpec().qualifiedName() + " --help')");
      cl.getErr().flush();
      return USAGE;
    }

    /** The first word of {@code args} after the command's name that is neither an option nor an option's value, or null. */
    private static String bareWord(CommandLine cl, String[] args) {
      int at = Arrays.asList(args).indexOf(cl.getCommandSpec().name());
      for (int i = at + 1; i > 0 && i < args.length; i++) {
        CommandLine.Model.OptionSpec before = cl.getCommandSpec().findOption(args[i - 1]);
        boolean takenAsValue = i - 1 > at && before != null && before.arity().max() > 0;
        if (!args[i].startsWith("-") && !takenAsValue) {
          return args[i];
        }
      }
      return null;
    }

    /**
     * For a word typed where an option's value belongs: {@code " (did you mean --id WORD?)"} for
     * a version id, {@code --folder} or {@code --files} for an existing path, as the command takes
     * them; else an empty string.
     */
    private static String optionFor(CommandLine cl, String word) {
      java.util.function.Predicate<String> has = name -> cl.getCommandSpec().findOption(name) != null;
      boolean isPath;
      try {
        isPath = java.nio.file.Files.exists(Path.of(word));
      } catch (java.nio.file.InvalidPathException notAPath) {
        isPath = false;
      }
      String option = null;
      if (word.matches("[0-9a-fA-F]{8,32}") && has.test("--id")) {
        option = "--id";
      } else if (isPath && has.test("--folder")) {
        option = "--folder";
      } else if (isPath && has.test("--files")) {
        option = "--files";
      }
      return option == null ? "" : " (did you mean " + option + " " + word + "?)";
    }

    /**
     * {@code " (did you mean 'x'?)"} for the one name of {@code known} closest to {@code typed}
     * (at most two letters added, removed, changed or swapped, and fewer than a third of it), else
     * an empty string: for a typo, not for a word of another tool.
     */
    static String didYouMean(String typed, java.util.Collection<String> known) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      boolean tie = false;
      for (String k : known) {
        int d = editDistance(typed, k);
        if (d < bestDistance) {
          best = k;
          bestDistance = d;
          tie = false;
        } else if (d == bestDistance) {
          tie = true;
        }
      }
      int letters = typed.replaceFirst("^-+", "").length();
      if (best != null && !tie && bestDistance <= 2 && bestDistance * 3 < letters) {
        return " (did you mean '" + best + "'?)";
      }
      // A short word cut short ("--tag" for "--tags", "tag" for "tags"): the one name it begins.
      List<String> longer = known.stream().filter(k -> letters >= 3 && k.startsWith(typed) && k.length() - typed.length() <= 2).toList();
      return longer.size() == 1 ? " (did you mean '" + longer.get(0) + "'?)" : "";
    }

    /** Letters added, removed, changed, or two neighbours swapped, to turn {@code a} into {@code b} (Damerau's distance, restricted). */
    static int editDistance(String a, String b) {
      if (Math.abs(a.length() - b.length()) > 2) {
        return Math.abs(a.length() - b.length()); // too far for a suggestion, whatever the letters: not worth a table
      }
      return dev.cairn.internal.io.Text.editDistance(a, b);
    }

    /**
     * The first argument that looks like an option but is none of the command's or its parents',
     * or null. The values a known option takes are passed over ({@code --description -x}).
     */
    private static String unknownOption(CommandLine cl, String[] args) {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--")) {
          return null;
        }
        if (!a.startsWith("-") || a.length() == 1 || Character.isDigit(a.charAt(1))) {
          continue;
        }
        String name = CairnCommand.optionName(a);
        CommandLine.Model.OptionSpec option = null;
        for (CommandLine.Model.CommandSpec spec = cl.getCommandSpec(); spec != null && option == null; spec = spec.parent()) {
          option = spec.findOption(name);
        }
        if (option == null) {
          return name;
        }
        if (!a.contains("=") && option.arity().max() > 0) {
          i++; // its first value, whatever it looks like; further ones (arity 1..*) would not start with '-'
        }
      }
      return null;
    }
  }
}
