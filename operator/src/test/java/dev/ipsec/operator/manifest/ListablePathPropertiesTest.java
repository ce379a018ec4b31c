package dev.ipsec.operator.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ConfigManifest#checkPath} is a loop, for speed; the rule it implements is this regular
 * expression (the one it replaced), and both must accept exactly the same paths.
 */
class ListablePathPropertiesTest {

  private static final Pattern RULE =
      Pattern.compile(
          "[A-Za-z0-9_-][A-Za-z0-9._-]{0,252}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,252}){0,3}");

  private static boolean byRule(String path) {
    return RULE.matcher(path).matches() && !path.contains("..");
  }

  @Property(tries = 3000)
  void theLoopAcceptsWhatTheRuleAccepts(@ForAll("pathLike") String path) {
    assertThat(ConfigManifest.isListablePath(path)).as(path).isEqualTo(byRule(path));
  }

  @Property(tries = 1000)
  void andSoForAnyText(@ForAll String path) {
    assertThat(ConfigManifest.isListablePath(path)).as(path).isEqualTo(byRule(path));
  }

  @Example
  void theEdges() {
    String longest = "a".repeat(253);
    for (String path :
        new String[] {
          "",
          "/",
          "a",
          "a/",
          "/a",
          "a//b",
          ".a",
          "a.",
          "a..b",
          "a/.b",
          "a./b",
          "..data",
          "conf.d/site-b.conf",
          "manifests/config-0.json",
          "a/b/c/d",
          "a/b/c/d/e",
          longest,
          longest + "a",
          longest + "/" + longest,
          "conf.d/é.conf",
          "conf.d/a b.conf"
        }) {
      assertThat(ConfigManifest.isListablePath(path)).as(path).isEqualTo(byRule(path));
    }
    assertThat(ConfigManifest.isListablePath(null)).isFalse();
  }

  /** Short strings of the characters that matter, so both answers occur often. */
  @Provide
  Arbitrary<String> pathLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab.-_/Z9").ofMinLength(0).ofMaxLength(12),
        Arbitraries.strings().withChars("a./").ofMinLength(0).ofMaxLength(8),
        Arbitraries.strings().withChars("x/").ofMinLength(250).ofMaxLength(520));
  }
}
