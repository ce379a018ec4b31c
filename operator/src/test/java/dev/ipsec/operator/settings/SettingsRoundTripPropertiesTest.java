package dev.ipsec.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The one writer and the one parser of the settings format agree: every tree of sections and values
 * the writer accepts parses back equal, each setting on a line of its own, and what the writer
 * refuses (control characters in a value, names outside {@code [A-Za-z0-9_-]}) it refuses with an
 * exception instead of writing it.
 */
class SettingsRoundTripPropertiesTest {

  private static final Path FILE = Path.of("/round-trip.conf");
  private static final String NAME_CHARACTERS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

  @Property(tries = 300)
  void writtenTreesParseBackEqual(@ForAll("trees") SettingsSection tree) throws Exception {
    assertThat(SettingsParser.parseString(write(tree), FILE)).isEqualTo(tree);
  }

  @Property(tries = 500)
  void everyValueWithoutControlCharactersIsOneLineAndReadsBackUnchanged(
      @ForAll("values") String value) throws Exception {
    String text = new SettingsWriter().value("k", value).text();

    assertThat(text.lines()).hasSize(1);
    assertThat(SettingsParser.parseString(text, FILE).values()).containsExactly(entry("k", value));
  }

  @Property(tries = 300)
  void aValueWithAControlCharacterIsRefused(@ForAll("valuesWithAControlCharacter") String value) {
    assertThatThrownBy(() -> new SettingsWriter().value("k", value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 300)
  void aNameOutsideTheNameCharactersIsRefusedAsSectionAndAsKey(@ForAll("notNames") String name) {
    assertThat(SettingsWriter.isName(name)).isFalse();
    assertThatThrownBy(() -> new SettingsWriter().section(name))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SettingsWriter().value(name, "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Files written by hand hold anything: the parser then fails with its own error only, never
   * another.
   */
  @Property(tries = 500)
  void arbitraryTextNeverFailsWithAnythingButSettingsException(@ForAll("noise") String text) {
    try {
      SettingsParser.parseString(text, Path.of("/noise.conf"));
    } catch (SettingsException expected) {
      assertThat(expected.line()).isPositive();
    }
  }

  /**
   * Writes a tree through the real writer: values before sections, as {@link SettingsSection} keeps
   * them.
   */
  private static String write(SettingsSection tree) {
    SettingsWriter writer = new SettingsWriter();
    writeInto(writer, tree);
    return writer.text();
  }

  private static void writeInto(SettingsWriter writer, SettingsSection section) {
    section.values().forEach(writer::value);
    section
        .sections()
        .forEach(
            (name, child) -> {
              writer.section(name);
              writeInto(writer, child);
              writer.end();
            });
  }

  /** Printable text with every character the format gives a meaning to, and a few beyond ASCII. */
  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars("é€\u00a0\u2028")
        .ofMaxLength(30);
  }

  @Provide
  Arbitrary<String> valuesWithAControlCharacter() {
    Arbitrary<Character> control =
        Arbitraries.oneOf(
            Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.just('\u007f'));
    Arbitrary<Integer> positions = Arbitraries.integers().between(0, 30);
    return Combinators.combine(values(), control, positions)
        .as(
            (value, c, at) -> {
              int position = Math.min(at, value.length());
              return value.substring(0, position) + c + value.substring(position);
            });
  }

  /**
   * Accepted names, with the keyword {@code include} and the sections the renderer writes among
   * them.
   */
  @Provide
  Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.strings().withChars(NAME_CHARACTERS).ofMinLength(1).ofMaxLength(8)),
        Tuple.of(1, Arbitraries.of("include", "connections", "secrets", "charon", "-", "_")));
  }

  @Provide
  Arbitrary<String> notNames() {
    return Arbitraries.strings()
        .withChars(NAME_CHARACTERS + ".:/{}=#\" \t\n\r'é")
        .ofMaxLength(8)
        .filter(s -> s.isEmpty() || s.chars().anyMatch(c -> NAME_CHARACTERS.indexOf(c) < 0));
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().withChars("ab =#{}\"\\\n\t").ofMaxLength(60);
  }

  @Provide
  Arbitrary<SettingsSection> trees() {
    return tree(3);
  }

  private Arbitrary<SettingsSection> tree(int depth) {
    Arbitrary<Map<String, String>> values = Arbitraries.maps(names(), values()).ofMaxSize(4);
    Arbitrary<Map<String, SettingsSection>> children =
        depth == 0
            ? Arbitraries.just(Map.of())
            : Arbitraries.maps(names(), Arbitraries.lazy(() -> tree(depth - 1))).ofMaxSize(3);
    return Combinators.combine(values, children)
        .as(
            (v, c) -> {
              SettingsSection section = new SettingsSection();
              v.forEach(section::put);
              c.forEach((name, child) -> section.child(name).merge(child));
              return section;
            });
  }
}
