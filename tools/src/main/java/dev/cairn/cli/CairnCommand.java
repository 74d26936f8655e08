package dev.cairn.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code cairn} command: global options and the list of subcommands. */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnCommand.Version.class,
    description = "Version ML datasets the way Git versions code.",
    subcommands = {
        CreateCommand.class, AddCommand.class, RemoveCommand.class, SyncCommand.class, CloseCommand.class,
        PublishCommand.class, UploadCommand.class, GetCommand.class, ListCommand.class, SearchCommand.class, CompareCommand.class,
        SquashCommand.class, VerifyCommand.class, DeleteCommand.class, RenameCommand.class, MoveCommand.class,
        SetDescriptionCommand.class, LogCommand.class, MetadataCommand.class, ExportCommand.class,
        UsageCommand.class, RunsCommand.class, LockCommand.class, FsckCommand.class, GcCommand.class, QuickstartCommand.class,
        ServeCommand.class,
        CommandLine.HelpCommand.class})
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

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CairnCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new ErrorHandler.Parameters());
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CairnCommand.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (v == null ? "dev" : v)};
    }
  }
}
