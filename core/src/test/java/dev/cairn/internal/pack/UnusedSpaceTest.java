package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnusedSpaceTest {
  private static final List<UnusedSpace.Pack> MIXED = List.of(
      new UnusedSpace.Pack("a", 1000, 10, true), // 1% dead
      new UnusedSpace.Pack("b", 1000, 500, true), // half dead
      new UnusedSpace.Pack("c", 1000, 100, true)); // 10% dead

  @Test
  void packsWithTheLargestShareOfDeadBytesAreRewrittenUntilWhatIsLeftIsAllowed() {
    // 610 dead bytes of 10,000: rewriting b leaves 110, within 5% (500).
    assertThat(UnusedSpace.toRewrite(MIXED, 10_000, 0.05)).containsExactly("b");
    assertThat(UnusedSpace.left(MIXED, UnusedSpace.toRewrite(MIXED, 10_000, 0.05))).isEqualTo(110);
    // Within 1% (100): c too, leaving a's 10.
    assertThat(UnusedSpace.toRewrite(MIXED, 10_000, 0.01)).containsExactlyInAnyOrder("b", "c");
    assertThat(UnusedSpace.toRewrite(MIXED, 10_000, 0)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(UnusedSpace.toRewrite(MIXED, 10_000, 1)).isEmpty();
    assertThat(UnusedSpace.toRewrite(List.of(new UnusedSpace.Pack("x", 10, 0, true)), 10, 0)).as("0: however few").containsExactly("x");
    // A dead node or file object is never left: what it names may go.
    List<UnusedSpace.Pack> nodes = List.of(new UnusedSpace.Pack("n", 1000, 1, false), new UnusedSpace.Pack("a", 1000, 10, true));
    assertThat(UnusedSpace.toRewrite(nodes, 10_000, 0.05)).containsExactly("n");
    assertThat(UnusedSpace.left(nodes, UnusedSpace.toRewrite(nodes, 10_000, 0.05))).isEqualTo(10);
    assertThatThrownBy(() -> UnusedSpace.toRewrite(MIXED, 1, -0.1)).isInstanceOf(IllegalArgumentException.class);
  }
}
