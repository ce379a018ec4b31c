package dev.ipsec.operator.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SettingsRoundTripProperties {

  @Property(tries = 300)
  void renderedTreesParseBackToTheSameTree(@ForAll("trees") SettingsSection tree) throws Exception {
    String text = SettingsWriter.render(tree);
    assertThat(SettingsParser.parseString(text, Path.of("/prop.conf"))).isEqualTo(tree);
  }

  @Property(tries = 300)
  void anyValueSurvivesQuoting(@ForAll("values") String value) throws Exception {
    SettingsSection parsed = SettingsParser.parseString("k = " + SettingsWriter.quote(value) + "\n", Path.of("/v.conf"));
    assertThat(parsed.values()).containsEntry("k", value);
  }

  @Property(tries = 500)
  void arbitraryTextNeverFailsWithAnythingButSettingsException(@ForAll("noise") String text) {
    try {
      SettingsParser.parseString(text, Path.of("/noise.conf"));
    } catch (SettingsException expected) {
      assertThat(expected.line()).isPositive();
    }
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withChars("ab =#{}\"\\\n\t\r,é").ofMaxLength(30);
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().withChars("ab =#{}\"\\\n\t").ofMaxLength(60);
  }

  @Provide
  Arbitrary<SettingsSection> trees() {
    return tree(3);
  }

  private Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abcxyz_-.,:0123456789").ofMinLength(1).ofMaxLength(8)
        .filter(SettingsWriter::isValidName);
  }

  private Arbitrary<SettingsSection> tree(int depth) {
    Arbitrary<java.util.Map<String, String>> values = Arbitraries.maps(names(), values()).ofMaxSize(4);
    Arbitrary<java.util.Map<String, SettingsSection>> children = depth == 0
        ? Arbitraries.just(java.util.Map.of())
        : Arbitraries.maps(names(), Arbitraries.lazy(() -> tree(depth - 1))).ofMaxSize(3);
    return Combinators.combine(values, children).as((v, c) -> {
      SettingsSection s = new SettingsSection();
      v.forEach(s::put);
      c.forEach((name, child) -> s.child(name).merge(child));
      return s;
    });
  }
}
