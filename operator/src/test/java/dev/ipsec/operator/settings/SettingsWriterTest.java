package dev.ipsec.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingsWriterTest {

  @Test
  void writesOneKeyPerLineWithDeterministicIndentation() {
    String text =
        new SettingsWriter()
            .section("connections")
            .section("p1")
            .value("version", 2)
            .value("mobike", false)
            .end()
            .end()
            .text();
    assertThat(text)
        .isEqualTo("connections {\n  p1 {\n    version = \"2\"\n    mobike = \"no\"\n  }\n}\n");
  }

  @Test
  void quotesAndEscapesEverythingThatCouldEndAValue() {
    assertThat(SettingsWriter.quote("a\"b\\c{d}#e=f,g")).isEqualTo("\"a\\\"b\\\\c{d}#e=f,g\"");
  }

  @Test
  void refusesControlCharactersWithoutEchoingTheValue() {
    assertThatThrownBy(() -> SettingsWriter.quote("top\nsecret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> SettingsWriter.quote("a\u0000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SettingsWriter.quote("a\r"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesSectionAndKeyNamesTheFormatCannotCarry() {
    assertThatThrownBy(() -> new SettingsWriter().section("a.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SettingsWriter().section("a {"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SettingsWriter().value("k=v", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SettingsWriter().include("x\ny"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesUnbalancedSections() {
    assertThatThrownBy(() -> new SettingsWriter().section("a").text())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new SettingsWriter().end()).isInstanceOf(IllegalStateException.class);
  }
}
