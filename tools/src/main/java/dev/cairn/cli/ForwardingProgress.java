package dev.cairn.cli;

import dev.cairn.dataset.Progress;

/** A progress that passes every call to another; wrappers override what they change. */
class ForwardingProgress implements Progress {
  private final Progress inner;

  ForwardingProgress(Progress inner) {
    this.inner = inner;
  }

  @Override
  public void start(String task, long totalBytes) {
    inner.start(task, totalBytes);
  }

  @Override
  public void advance(long bytes) {
    inner.advance(bytes);
  }

  @Override
  public void finish() {
    inner.finish();
  }

  @Override
  public void warn(String message) {
    inner.warn(message);
  }

  @Override
  public void committed(String result) {
    inner.committed(result);
  }
}
