package dev.cairn.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashAlgorithmTest {
  @Test
  void sha256KnownAnswers() {
    assertThat(HashAlgorithm.SHA256.hash(new byte[0]).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(HashAlgorithm.SHA256.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void blake3KnownAnswers() {
    assertThat(HashAlgorithm.BLAKE3.hash(new byte[0]).hex())
        .isEqualTo("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
    assertThat(HashAlgorithm.BLAKE3.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex())
        .isEqualTo("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
  }

  @Test
  void incrementalEqualsOneShotAndHasherIsReusable() {
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    for (HashAlgorithm a : HashAlgorithm.values()) {
      Hasher h = a.newHasher();
      h.update(data, 0, 1234);
      h.update(data, 1234, data.length - 1234);
      ObjectId whole = h.digest();
      assertThat(whole).isEqualTo(a.hash(data));
      h.update(data);
      assertThat(h.digest()).isEqualTo(whole);
      assertThat(h.algorithm()).isEqualTo(a);
    }
  }

  @Test
  void configNamesRoundTrip() {
    for (HashAlgorithm a : HashAlgorithm.values()) {
      assertThat(HashAlgorithm.fromConfigName(a.configName())).isSameAs(a);
      assertThat(HashAlgorithm.fromCode(a.code())).isSameAs(a);
    }
    assertThat(HashAlgorithm.fromConfigName("SHA-256")).isSameAs(HashAlgorithm.SHA256);
    assertThatThrownBy(() -> HashAlgorithm.fromConfigName("md5")).hasMessageContaining("md5");
  }
}
