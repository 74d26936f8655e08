package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.web.WebServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn serve}: the read-only web UI and JSON API over the repository, until interrupted. */
@Command(name = "serve", description = "Serve a read-only web UI and JSON API over the repository (Ctrl-C stops it).")
final class ServeCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin HelpOption help;

  @ParentCommand CairnCommand top;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--allow-host", paramLabel = "NAME", arity = "1..*",
      description = "Further names the server answers to (a proxy's, or a DNS name of this machine): a request naming any other is"
          + " refused, so that a site whose name is pointed at this address cannot read the datasets through a browser.")
  java.util.List<String> allowHosts = new java.util.ArrayList<>();

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  /** A host name or address as a browser's address bar shows it, with a port or not. */
  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?");

  @Override
  public Integer call() throws Exception {
    if (host.isBlank()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Cannot serve: --host is empty; give an address (127.0.0.1, the default, for"
          + " this machine only; 0.0.0.0 for every interface)");
    }
    if (port < 0 || port > 65535) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Cannot serve: --port " + port + " is not a port; give one"
          + " from 1 to 65535, or 0 for a free one");
    }
    for (String name : allowHosts) {
      if (!HOST_NAME.matcher(name).matches()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Cannot serve: --allow-host '" + name + "' is not a host name; give a name as"
            + " a browser's address bar shows it, without scheme or path (data.example.com)");
      }
    }
    Main.endsWithInterrupt();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch closed = new CountDownLatch(1);
    try (Repository repository = Repository.open(top.repositoryDirectory());
        DatasetRepository repo = DatasetRepository.of(repository)) {
      // Opened now, not at the first request that reads data: one that cannot be (a read-only file
      // system) is said here, once, rather than by a 500 for every page that shows files.
      repository.packs().index();
      serve(repository, repo, out, err, closed);
    } finally {
      closed.countDown();
    }
    return 0;
  }

  private void serve(Repository repository, DatasetRepository repo, PrintWriter out, PrintWriter err, CountDownLatch closed)
      throws Exception {
    try (WebServer server = WebServer.start(repo, host, port, allowHosts, message -> {
      err.println("cairn serve: " + message);
      err.flush();
    })) {
      // Ctrl-C: stop the server, then give this thread a moment to close the repository.
      Thread stop = new Thread(() -> {
        server.close();
        awaitQuietly(closed);
      }, "cairn-serve-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      if (!WebServer.isLoopback(host)) {
        err.println("cairn serve: listening on " + host + ": anyone who can reach this address can read every dataset; it answers to"
            + " IP addresses, loopback names and " + String.join(", ", server.hostNames()) + " (--allow-host adds names)");
      }
      out.println("Serving " + repository.directory() + " (read-only) at " + server.url());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      err.flush();
      try {
        server.awaitStop();
      } finally {
        removeQuietly(stop);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it stopped the server
    }
  }
}
