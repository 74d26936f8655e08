package dev.cairn.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void editDistanceCountsInsertionsDeletionsReplacementsAndSwaps() {
    assertThat(Text.editDistance("pets", "pets")).isZero();
    assertThat(Text.editDistance("pets", "pest")).isEqualTo(1);
    assertThat(Text.editDistance("pets", "pet")).isEqualTo(1);
    assertThat(Text.editDistance("pets", "bats")).isEqualTo(2);
    assertThat(Text.editDistance("", "abc")).isEqualTo(3);
  }

  @Test
  void aSlipOfOneLetterIsToldFromANameChangedOnPurpose() {
    String known = "s3a://team/ds";
    assertThat(Text.isOneLetterSlip(known, "s3a://team/dss")).as("typed twice").isTrue();
    assertThat(Text.isOneLetterSlip("/mnt/share/datasets", "/mnt/share/datsets")).as("left out").isTrue();
    assertThat(Text.isOneLetterSlip("/mnt/share/datasets", "/mnt/share/dataxsets")).as("added").isTrue();
    assertThat(Text.isOneLetterSlip("/mnt/share/datasets", "/mnt/share/dataseys")).as("another letter").isTrue();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/sd")).as("swapped").isTrue();
    assertThat(Text.isOneLetterSlip(known, "s3a://taem/ds")).as("swapped inside").isTrue();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/dx")).as("in a short word: a name of its own").isFalse();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/d")).isFalse();
    assertThat(Text.isOneLetterSlip("/tmp/remote-a", "/tmp/remote-b")).isFalse();
    assertThat(Text.isOneLetterSlip(known, known)).isFalse();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/ds2")).as("a digit added").isFalse();
    assertThat(Text.isOneLetterSlip("s3a://team/ds1", "s3a://team/ds2")).as("a digit changed").isFalse();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/ds-")).as("a sign added").isFalse();
    assertThat(Text.isOneLetterSlip(known, "s3a://team/dsxy")).as("two letters").isFalse();
    assertThat(Text.isOneLetterSlip("/data/a", "/data/b/")).isFalse();
    assertThat(Text.isOneLetterSlip("/mnt/model", "/mnt/models")).as("a plural").isFalse();
    assertThat(Text.isOneLetterSlip("/mnt/models", "/mnt/model")).isFalse();
    assertThat(Text.isOneLetterSlip("/mnt/class", "/mnt/classs")).as("a letter typed twice, though an s").isTrue();
    assertThat(Text.isOneLetterSlip("/runs/12", "/runs/21")).as("digits swapped").isFalse();
  }
}
