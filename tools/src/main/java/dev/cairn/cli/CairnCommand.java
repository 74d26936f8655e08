package dev.cairn.cli;

import dev.cairn.dataset.DatasetRepository;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.storage.Storages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The top-level {@code cairn} command: global options and the list of subcommands.
 *
 * <p>Picocli reflects over every subcommand it is given, which costs more than a hundred
 * milliseconds for all of them at JVM start; {@link #commandLine(String...)} gives it only the
 * subcommand named on the command line, and all of them when none is (help, usage errors).
 */
@Command(
    name = "cairn",
    versionProvider = CairnCommand.Version.class,
    description = "Version ML datasets the way Git versions code.",
    // Subcommands are added by commandLine(args): only the one that runs, when it can be told.
    subcommands = {})
public final class CairnCommand implements Callable<Integer> {
  // Not the standard help mixin, whose -V/--version would clash with subcommands' --version.
  @CommandLine.Mixin HelpOption help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  @Option(names = "--repo", paramLabel = "DIR", description = "Repository directory (default: $CAIRN_HOME, else ~/.cairn).", scope = CommandLine.ScopeType.INHERIT)
  Path repo;

  @Option(names = "--debug", description = "Show stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Storage setting (Hadoop key), on top of core-site.xml and $HADOOP_CONF_DIR.",
      scope = CommandLine.ScopeType.INHERIT)
  Map<String, String> conf = new LinkedHashMap<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code cairn} alone: the usage, one error line and exit code 1 (as git), so that a script notices. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    spec.commandLine().getErr().println("cairn: no command given (the commands are listed above)");
    return 1;
  }

  /** The repository directory this invocation uses. */
  Path repositoryDirectory() throws InvalidInputException {
    if (repo != null) {
      if (repo.toString().isBlank()) {
        throw new InvalidInputException("Cannot use --repo '': give the repository's folder");
      }
      String text = repo.toString();
      if (text.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) { // a URI, not a folder named "file:" or "s3a:"
        if (!text.toLowerCase(Locale.ROOT).startsWith("file:")) {
          throw new InvalidInputException("Cannot use --repo " + text + ": a repository is a local folder (a remote"
              + " is given as --storage)");
        }
        return Path.of(Storages.parse(text));
      }
      return repo;
    }
    return DatasetRepository.defaultDirectory();
  }

  /** Every subcommand, in the order help lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      InitCommand.class, CreateCommand.class, AddCommand.class, RemoveCommand.class, SyncCommand.class, CloseCommand.class,
      PublishCommand.class, UploadCommand.class, GetCommand.class, RefreshCommand.class, ListCommand.class, SearchCommand.class, ShowCommand.class,
      CompareCommand.class, SquashCommand.class, VerifyCommand.class, DeleteCommand.class, RenameCommand.class, MoveCommand.class,
      SetDescriptionCommand.class, SetVersionCommand.class, LogCommand.class, MetadataCommand.class, TagsCommand.class, ExportCommand.class,
      UsageCommand.class, RunsCommand.class, LockCommand.class, FsckCommand.class, GcCommand.class, UnlockCommand.class, QuickstartCommand.class,
      ServeCommand.class, DaemonCommand.class, CommandLine.HelpCommand.class);

  /** Global options that take a value in the next argument. */
  private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--repo", "--conf");

  /** The command line with every subcommand. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /** The command line for {@code args}: with only the subcommand they name, if they name one. */
  static CommandLine commandLine(String[] args) {
    CommandLine cl = new CommandLine(new CairnCommand());
    Class<?> named = args == null ? null : subcommandNamed(args);
    for (Class<?> c : SUBCOMMANDS) {
      if (named == null || c == named) {
        cl.addSubcommand(c);
      }
    }
    // An empty path would mean the working folder: refused rather than guessed (register after
    // the subcommands, so that they get the converter too).
    cl.registerConverter(Path.class, s -> {
      if (s.isEmpty()) {
        throw new CommandLine.TypeConversionException("an empty path");
      }
      return Path.of(s);
    });
    // Lists (--tags a,b) split at every comma: a quote inside a value is a character of it, not
    // the start of a quoted part (whose half-open form made picocli print warnings of its own).
    @SuppressWarnings("deprecation")
    CommandLine split = cl.setSplitQuotedStrings(true);
    HelpText.install(cl); // after the subcommands: each takes it
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new ErrorHandler.Parameters());
    cl.setExecutionStrategy(parsed -> {
      requireRepoOnce(parsed);
      requireNoOptionAmongValues(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cl;
  }

  /**
   * Refuses {@code --repo} given both before and after the command's name ({@code cairn --repo A
   * search --repo B}), which picocli takes as two options: which one counts would be a guess.
   */
  private static void requireRepoOnce(CommandLine.ParseResult parsed) {
    int given = 0;
    for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
      given += level.matchedOption("--repo") == null ? 0 : 1;
    }
    if (given > 1) {
      CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
      throw new CommandLine.ParameterException(last, "Cannot give --repo twice (before and after the command's name): it takes one DIR");
    }
  }

  /**
   * Refuses a word that looks like a long option among the later values of an option that takes
   * several ({@code sync --exclude .git --skip-clsoe}): picocli gives such an option every argument
   * up to the next known option, so a mistyped one would become a value and the command would go
   * on without it (and close a draft that was to stay open). A value starting with {@code --} is
   * still taken as the option's first, or attached ({@code --exclude=--x}); one starting with a
   * single {@code -} is a value anywhere ({@code search --tags cat -dog}, a negative number).
   */
  private static void requireNoOptionAmongValues(CommandLine.ParseResult parsed) {
    CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
    // The subcommand's own options and those it inherits: what picocli stops a list of values at.
    CommandLine.Model.CommandSpec spec = last.getCommandSpec();
    // With -h given, picocli prints the help rather than refuse what it could not match: a typo is still news.
    for (String unmatched : last.getParseResult().unmatched()) {
      if (unmatched.startsWith("-")) {
        throw new CommandLine.UnmatchedArgumentException(last, List.of(unmatched));
      }
    }
    List<String> args = parsed.originalArgs();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        return;
      }
      CommandLine.Model.OptionSpec option = a.startsWith("-") ? spec.findOption(optionName(a)) : null;
      if (option == null || option.arity().max() == 0) {
        continue;
      }
      if (!a.contains("=")) {
        i++; // its first value, whatever it looks like
      }
      if (option.arity().max() == 1) {
        continue;
      }
      while (i + 1 < args.size() && !args.get(i + 1).equals("--") && !isOption(spec, args.get(i + 1))) {
        String value = args.get(++i);
        if (value.startsWith("--")) {
          throw new CommandLine.UnmatchedArgumentException(last, List.of(value));
        }
      }
    }
  }

  private static boolean isOption(CommandLine.Model.CommandSpec spec, String arg) {
    return arg.startsWith("-") && spec.findOption(optionName(arg)) != null;
  }

  /** The option an argument names: {@code --exclude} of {@code --exclude=x}. */
  static String optionName(String arg) {
    return arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
  }

  /**
   * Commands that in their common case read no object, so that loading LMDB's library in the
   * background would only compete with their own start (35 ms of a 240 ms {@code get}); the
   * first that needs the index loads it then.
   */
  private static final Set<String> INDEX_FREE = Set.of("search", "log", "usage", "runs");

  /**
   * Whether {@code args} run a command that will soon open the object index: all but those of
   * {@link #INDEX_FREE} and a {@code get} of the cached folder (no {@code --copy}, {@code --link}
   * or {@code --storage}), which opens it only when the folder is not cached yet.
   */
  static boolean needsIndexSoon(String[] args) {
    Class<?> c = subcommandNamed(args);
    if (c == null) {
      return false;
    }
    String name = c.getAnnotation(Command.class).name();
    if (name.equals("get")) {
      return Arrays.stream(args).anyMatch(a -> a.startsWith("--copy") || a.startsWith("--link") || a.startsWith("--storage"));
    }
    return !INDEX_FREE.contains(name);
  }

  /** The name of the subcommand {@code args} run, or null. */
  static String subcommandNameOf(String[] args) {
    Class<?> c = subcommandNamed(args);
    return c == null ? null : c.getAnnotation(Command.class).name();
  }

  /** The subcommand {@code args} run, or null when they name none (or ask for help). */
  private static Class<?> subcommandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (OPTIONS_WITH_VALUE.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        for (Class<?> c : SUBCOMMANDS) {
          if (c != CommandLine.HelpCommand.class && a.equals(c.getAnnotation(Command.class).name())) {
            return c;
          }
        }
        return null;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CairnCommand.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (v == null ? "dev" : v)};
    }
  }
}
