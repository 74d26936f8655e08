package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.junit.jupiter.api.Test;

/** A stream that fails once and throws that same error again when closed, as HDFS's does. */
class CommitterCloseTest {
  @Test
  void aStreamsLastErrorThrownAgainByItsCloseIsNotAddedToItself() throws IOException {
    IOException lost = new IOException("File does not exist: /r/.tmp/x.tmp (gone under the writer)");
    FSDataOutputStream same = new FSDataOutputStream(failing(lost, lost), null);
    Committer.closeAfter(same, lost); // a try-with-resources threw IllegalArgumentException: Self-suppression not permitted
    assertThat(lost.getSuppressed()).isEmpty();
    IOException other = new IOException("close failed too");
    FSDataOutputStream different = new FSDataOutputStream(failing(lost, other), null);
    Committer.closeAfter(different, lost);
    assertThat(lost.getSuppressed()).containsExactly(other);
  }

  private static OutputStream failing(IOException onWrite, IOException onClose) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw onWrite;
      }

      @Override
      public void close() throws IOException {
        throw onClose;
      }
    };
  }
}
