package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.web.WebServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn serve}: the read-only web UI and JSON API over the repository, until interrupted. */
@Command(name = "serve", description = "Serve a read-only web UI and JSON API over the repository (Ctrl-C stops it).")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand CairnCommand top;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Repository repository = Repository.open(top.repositoryDirectory());
        DatasetRepository repo = DatasetRepository.of(repository);
        WebServer server = WebServer.start(repo, host, port, message -> {
          err.println("cairn serve: " + message);
          err.flush();
        })) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cairn-serve-stop"));
      if (!WebServer.isLoopback(host)) {
        err.println("cairn serve: listening on " + host + ": anyone who can reach this address can read every dataset");
      }
      out.println("Serving " + repository.directory() + " (read-only) at " + server.url());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      err.flush();
      server.awaitStop();
    }
    return 0;
  }
}
