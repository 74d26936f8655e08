package dev.cairn.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.errors.CorruptObjectException.Reason;
import org.junit.jupiter.api.Test;

class CorruptObjectExceptionTest {
  @Test
  void theMessageSaysTheKindOfDamageOnce() {
    assertThat(new CorruptObjectException(null, Reason.CHECKSUM_MISMATCH, "pack-1.pack block 145", "block checksum mismatch").getMessage())
        .isEqualTo("Cannot read data: block checksum mismatch (pack-1.pack block 145)");
    assertThat(new CorruptObjectException(null, Reason.CHECKSUM_MISMATCH, "p", "length 12 past the end").getMessage())
        .isEqualTo("Cannot read data: checksum mismatch, length 12 past the end (p)");
    assertThat(new CorruptObjectException(null, Reason.CHECKSUM_MISMATCH, null, null).getMessage())
        .isEqualTo("Cannot read data: checksum mismatch");
  }
}
