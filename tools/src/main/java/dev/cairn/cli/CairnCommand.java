package dev.cairn.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code cairn} command: global options and the list of subcommands.
 *
 * <p>Picocli reflects over every subcommand it is given, which costs more than a hundred
 * milliseconds for all of them at JVM start; {@link #commandLine(String...)} gives it only the
 * subcommand named on the command line, and all of them when none is (help, usage errors).
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnCommand.Version.class,
    description = "Version ML datasets the way Git versions code.",
    // Subcommands are added by commandLine(args): only the one that runs, when it can be told.
    subcommands = {})
public final class CairnCommand implements Runnable {
  @Option(names = "--repo", paramLabel = "DIR", description = "Repository directory (default: $CAIRN_HOME, else ~/.cairn).", scope = CommandLine.ScopeType.INHERIT)
  Path repo;

  @Option(names = "--debug", description = "Show stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Storage setting (Hadoop key), on top of core-site.xml and $HADOOP_CONF_DIR.",
      scope = CommandLine.ScopeType.INHERIT)
  java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The repository directory this invocation uses. */
  Path repositoryDirectory() {
    if (repo != null) {
      return repo;
    }
    String env = System.getenv("CAIRN_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cairn");
  }

  /**
   * Every subcommand by its name, in the order help lists them. The names repeat those of the
   * classes' {@code @Command} annotations (CairnCommandTest checks that they agree): reading the
   * annotations of every class to find the one named took 24 ms of a 250 ms {@code get}.
   */
  static final java.util.Map<String, Class<?>> BY_NAME = byName(
      "create", CreateCommand.class, "add", AddCommand.class, "remove", RemoveCommand.class, "sync", SyncCommand.class,
      "close", CloseCommand.class, "publish", PublishCommand.class, "upload", UploadCommand.class, "get", GetCommand.class,
      "list", ListCommand.class, "search", SearchCommand.class, "compare", CompareCommand.class, "squash", SquashCommand.class,
      "verify", VerifyCommand.class, "delete", DeleteCommand.class, "rename", RenameCommand.class, "move", MoveCommand.class,
      "set-description", SetDescriptionCommand.class, "log", LogCommand.class, "metadata", MetadataCommand.class,
      "export", ExportCommand.class, "usage", UsageCommand.class, "runs", RunsCommand.class, "lock", LockCommand.class,
      "fsck", FsckCommand.class, "gc", GcCommand.class, "quickstart", QuickstartCommand.class, "serve", ServeCommand.class);

  /** Every subcommand, in the order help lists them, picocli's {@code help} last. */
  static final java.util.List<Class<?>> SUBCOMMANDS;

  static {
    java.util.List<Class<?>> all = new java.util.ArrayList<>(BY_NAME.values());
    all.add(CommandLine.HelpCommand.class);
    SUBCOMMANDS = java.util.List.copyOf(all);
  }

  private static java.util.Map<String, Class<?>> byName(Object... nameThenClass) {
    java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameThenClass.length; i += 2) {
      m.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Global options that take a value in the next argument. */
  private static final java.util.Set<String> OPTIONS_WITH_VALUE = java.util.Set.of("--repo", "--conf");

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
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new ErrorHandler.Parameters());
    return cl;
  }

  /**
   * Commands that in their common case read no object, so that loading LMDB's library in the
   * background would only compete with their own start (35 ms of a 240 ms {@code get}); the
   * first that needs the index loads it then.
   */
  private static final java.util.Set<String> INDEX_FREE = java.util.Set.of("search", "log", "usage", "runs");

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
    if (c == GetCommand.class) {
      return java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("--copy") || a.startsWith("--link") || a.startsWith("--storage"));
    }
    return INDEX_FREE.stream().noneMatch(n -> BY_NAME.get(n) == c);
  }

  /** The subcommand {@code args} run, or null when they name none (or ask for help). */
  private static Class<?> subcommandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (OPTIONS_WITH_VALUE.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return BY_NAME.get(a);
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
