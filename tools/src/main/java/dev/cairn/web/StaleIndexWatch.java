package dev.cairn.web;

import dev.cairn.Repository;
import java.util.function.Consumer;

/**
 * Says, once, on the server's log that the index it has open was set aside by another process
 * (which judged it damaged and rebuilt it): the server goes on reading the copy set aside until it
 * is restarted. Looked at as each request comes (one {@code stat}).
 */
final class StaleIndexWatch {
  private final Repository repository;
  private final Consumer<String> log;
  private volatile boolean said;

  StaleIndexWatch(Repository repository, Consumer<String> log) {
    this.repository = repository;
    this.log = log;
  }

  void check() {
    if (said || !repository.indexReplaced()) {
      return;
    }
    synchronized (this) {
      if (!said) {
        said = true;
        log.accept("The index this server has open was set aside by another process, which rebuilt it; restart cairn serve to use"
            + " the new one");
      }
    }
  }
}
