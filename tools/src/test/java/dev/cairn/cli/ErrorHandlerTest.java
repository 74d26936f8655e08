package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one line a failure prints: what went wrong in words, not an exception's bare text. */
class ErrorHandlerTest {
  @Test
  void fileSystemFailuresSayWhatWentWrong() throws ReflectiveOperationException {
    assertThat(ErrorHandler.oneLine(new FileAlreadyExistsException("/r/remote"))).isEqualTo("something else is in the way: /r/remote");
    assertThat(ErrorHandler.oneLine(new NotDirectoryException("/r/x"))).isEqualTo("not a folder: /r/x");
    assertThat(ErrorHandler.oneLine(new FileSystemException("/r/p.tmp", null, "No space left on device")))
        .startsWith("disk full: /r/p.tmp; no version was changed (what it stored before the disk filled is reused when it runs again,"
            + " or freed by cairn gc)");
    assertThat(ErrorHandler.oneLine(new IOException("No space left on device"))).startsWith("disk full; no version was changed");
    // A copy names its source, then its target: the space ran out at the target.
    assertThat(ErrorHandler.oneLine(new FileSystemException("/local/p.pack", "/remote/.tmp/p.tmp", "No space left on device")))
        .startsWith("disk full: /remote/.tmp/p.tmp;");
    // Too long a path: what the limits are, and the way around them.
    assertThat(ErrorHandler.oneLine(new FileSystemException("/out/" + "d/".repeat(200) + "f", null, "File name too long")))
        .contains("(406 bytes): File name too long; the system allows 4096 bytes for a whole path, or 255 for a name")
        .endsWith("or write an archive with cairn export and extract it where it fits)");
    // A step that failed after others took effect (a close's upload) does not say nothing changed.
    assertThat(ErrorHandler.oneLine(new FileSystemException("/r/p.tmp", null, "No space left on device"), false))
        .isEqualTo("disk full: /r/p.tmp; free some space");
    // Nor does the failure of that command, which says what took effect: it is printed as it is.
    Base.UploadFailed closedOnly = new Base.UploadFailed("Closed 0123 here, but could not upload it to file:///r: disk full: /r/p.tmp;"
        + " free some space; run 'cairn upload --id 0123' to try again", new FileSystemException("/r/p.tmp", null, "No space left on device"));
    assertThat(ErrorHandler.oneLine(closedOnly)).isEqualTo(closedOnly.getMessage());
    // The index's own: LMDB reports a commit on a full disk as a native error, maybe wrapped.
    var made = org.lmdbjava.LmdbNativeException.ConstantDerivedException.class.getDeclaredConstructor(int.class, String.class);
    made.setAccessible(true); // lmdbjava makes them itself only
    RuntimeException lmdb = made.newInstance(28, "Platform constant error code: ENOSPC No space left on device");
    assertThat(ErrorHandler.oneLine(lmdb)).isEqualTo("disk full; no version was changed (what it stored before the disk filled is reused"
        + " when it runs again, or freed by cairn gc), free some space and run the command again");
    // Its other native errors name no file: said as the index's.
    RuntimeException eio = made.newInstance(5, "EIO Input/output error");
    assertThat(ErrorHandler.oneLine(eio)).isEqualTo("the index (LMDB) failed: Platform constant error code: EIO Input/output error (5);"
        + " cairn fsck checks it (an index is rebuilt from the packs by cairn fsck --repair)");
    assertThat(ErrorHandler.oneLine(new IOException("Cannot rebuild the index", lmdb))).startsWith("disk full;");
    // Not a message that merely holds the words: a dataset or a file may be named so.
    assertThat(ErrorHandler.oneLine(new dev.cairn.errors.DatasetNotFoundException("Cannot find dataset version: no q/ENOSPC")))
        .isEqualTo("Cannot find dataset version: no q/ENOSPC");
    assertThat(ErrorHandler.oneLine(new IllegalArgumentException("Unmatched argument: '/tmp/No space left'"))).doesNotContain("disk full");
    assertThat(ErrorHandler.oneLine(new FileSystemException("/remote/.tmp/p1-x.tmp", null, "Read-only file system")))
        .isEqualTo("cannot write to /remote/.tmp: the file system is read-only");
    assertThat(ErrorHandler.oneLine(new IOException("first line\nsecond"))).isEqualTo("first line");
    // A version not here may be on a remote; an object missing on a remote points to that remote's check.
    assertThat(ErrorHandler.oneLine(new dev.cairn.errors.DatasetNotFoundException("Cannot find dataset version: no version id starts with 56f41da1")))
        .isEqualTo("Cannot find dataset version: no version id starts with 56f41da1 here (a version only a remote holds is fetched with"
            + " cairn get --id 56f41da1 --storage URI)");
    assertThat(ErrorHandler.oneLine(new dev.cairn.errors.MissingObjectException(dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[0]),
        "object on remote file:///r/rem3"))).endsWith("; cairn fsck --storage file:///r/rem3 --read-data checks that remote");
    // A file written under a temporary name first: the folder is named, not that name.
    String temp = dev.cairn.internal.fs.AtomicFiles.tempName(".x.cairn-copy-");
    assertThat(ErrorHandler.oneLine(new AccessDeniedException("/w/ro/" + temp)))
        .isEqualTo("permission denied: cannot write in /w/ro");
    assertThat(ErrorHandler.oneLine(new AccessDeniedException("/w/ro/data.lock"))).isEqualTo("permission denied: /w/ro/data.lock");
    // Lost or damaged data points to the check of the whole repository, unless the message already says what to run.
    dev.cairn.id.ObjectId id = dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[0]);
    assertThat(ErrorHandler.oneLine(new dev.cairn.errors.MissingObjectException(id))).endsWith("; cairn fsck checks the whole repository");
    assertThat(ErrorHandler.oneLine(new dev.cairn.errors.MissingObjectException(new dev.cairn.errors.MissingObjectException(id),
        "fetching it from /r failed: gone"))).doesNotContain("cairn fsck");
    // Damage read from a remote points to the check of that remote.
    var remote = new dev.cairn.errors.CorruptObjectException(id, dev.cairn.errors.CorruptObjectException.Reason.CHECKSUM_MISMATCH,
        "s3a://bucket/data/packs/pack-ab.pack", "block checksum mismatch");
    assertThat(ErrorHandler.oneLine(remote)).endsWith("; cairn fsck --storage s3a://bucket/data --read-data checks that remote");
    var local = new dev.cairn.errors.CorruptObjectException(id, dev.cairn.errors.CorruptObjectException.Reason.CHECKSUM_MISMATCH,
        "/home/me/.cairn/packs/pack-ab.pack", "block checksum mismatch");
    assertThat(ErrorHandler.oneLine(local)).endsWith("; cairn fsck checks the whole repository");
  }

  @Test
  void aClassMissingFromTheBuildIsALineNotAnInterruption() {
    StringWriter err = new StringWriter();
    int exit = Main.brokenBuild(new PrintWriter(err), new NoClassDefFoundError("org/example/Gone"));
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("cairn: this build lacks a class the command needs (org.example.Gone); nothing half-written"
        + " is visible. Rebuild cairn (mvn install), and report it if that does not help" + System.lineSeparator());
  }
}
