package dev.cairn.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ObjectIdTest {
  @Property
  void bytesAndHexRoundTrip(@ForAll @Size(32) byte[] raw) {
    ObjectId id = ObjectId.fromBytes(raw);
    assertThat(id.toBytes()).isEqualTo(raw);
    assertThat(ObjectId.fromHex(id.hex())).isEqualTo(id);
    assertThat(ObjectId.fromHex(id.hex().toUpperCase())).isEqualTo(id);
    assertThat(id.firstByte()).isEqualTo(raw[0] & 0xFF);
  }

  @Property
  void orderIsUnsignedByteOrder(@ForAll @Size(32) byte[] a, @ForAll @Size(32) byte[] b) {
    int expected = Integer.signum(Arrays.compareUnsigned(a, b));
    assertThat(Integer.signum(ObjectId.fromBytes(a).compareTo(ObjectId.fromBytes(b)))).isEqualTo(expected);
    assertThat(Integer.signum(ObjectId.fromBytes(a).hex().compareTo(ObjectId.fromBytes(b).hex()))).isEqualTo(expected);
  }

  @Test
  void rejectsBadHex() {
    assertThatThrownBy(() -> ObjectId.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectId.fromHex("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void abbreviations() {
    ObjectId id = HashAlgorithm.SHA256.hash(new byte[] {1});
    AbbreviatedObjectId p = AbbreviatedObjectId.parse(id.hex().substring(0, 10).toUpperCase());
    assertThat(p.matches(id)).isTrue();
    assertThat(p.lowerBound().compareTo(id)).isLessThanOrEqualTo(0);
    assertThat(AbbreviatedObjectId.parse(id.hex()).isComplete()).isTrue();
    assertThatThrownBy(() -> AbbreviatedObjectId.parse("abcdef1")).hasMessageContaining("at least 8");
    assertThat(AbbreviatedObjectId.isValid("0123456g")).isFalse();
  }
}
