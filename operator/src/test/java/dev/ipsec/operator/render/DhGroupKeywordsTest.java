package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.api.v1alpha1.DhGroupRule;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The keyword table and the API's rule name the same groups, so no accepted group fails to render.
 */
class DhGroupKeywordsTest {

  @Test
  void everyGroupTheApiAcceptsHasAKeywordAndNoOtherDoes() {
    IntStream.rangeClosed(-1, 64)
        .forEach(
            group ->
                assertThat(DhGroupKeywords.keyword(group).isPresent())
                    .as("group %d", group)
                    .isEqualTo(DhGroupRule.isValid(group)));
  }

  @Test
  void keywordsFollowVyos() {
    assertThat(DhGroupKeywords.keywordOrFail(14)).isEqualTo("modp2048");
    assertThat(DhGroupKeywords.keywordOrFail(19)).isEqualTo("ecp256");
    assertThat(DhGroupKeywords.keywordOrFail(31)).isEqualTo("curve25519");
    assertThatThrownBy(() -> DhGroupKeywords.keywordOrFail(3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
