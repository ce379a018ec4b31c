package dev.ipsec.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {

  @TempDir Path dir;

  private static SettingsSection parse(String text) throws SettingsException {
    return SettingsParser.parseString(text, Path.of("/test.conf"));
  }

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void sectionsKeysAndComments() throws Exception {
    SettingsSection tree =
        parse(
            """
            # leading comment
            connections {
              tun {   # trailing comment
                version = 2
                local_addrs = 192.0.2.1, 192.0.2.3   # comment after a value
                local { auth = psk }
              }
            }
            """);
    SettingsSection tun = tree.section("connections").orElseThrow().section("tun").orElseThrow();
    assertThat(tun.values())
        .containsExactly(
            Map.entry("version", "2"), Map.entry("local_addrs", "192.0.2.1, 192.0.2.3"));
    assertThat(tun.section("local").orElseThrow().values()).containsEntry("auth", "psk");
  }

  @Test
  void valueWordsAreJoinedBySingleSpacesAndMayContainEqualsAndBraceOpen() throws Exception {
    SettingsSection tree = parse("id = C=CH,   O=strong{Swan,  CN=moon\nempty =\n");
    assertThat(tree.values())
        .containsEntry("id", "C=CH, O=strong{Swan, CN=moon")
        .containsEntry("empty", "");
  }

  @Test
  void quotedStringsKeepSpacesAndUnderstandEscapes() throws Exception {
    SettingsSection tree =
        parse(
            """
            a = "two  spaces # not a comment } not a brace"
            b = "quote \\" backslash \\\\ tab \\t newline \\n"
            c = "con\\
            tinued"
            d = "multi
            line"
            e = word "quoted part" word
            """);
    assertThat(tree.values())
        .containsEntry("a", "two  spaces # not a comment } not a brace")
        .containsEntry("b", "quote \" backslash \\ tab \t newline \n")
        .containsEntry("c", "continued")
        .containsEntry("d", "multi\nline")
        .containsEntry("e", "word quoted part word");
  }

  @Test
  void closingBraceEndsAValueOnTheSameLine() throws Exception {
    SettingsSection tree = parse("plugins { vici { load = yes } }\nafter = 1\n");
    assertThat(tree.section("plugins").orElseThrow().section("vici").orElseThrow().values())
        .containsEntry("load", "yes");
    assertThat(tree.values()).containsEntry("after", "1");
  }

  @Test
  void sameSectionsMergeAndLaterKeysWinKeepingTheirPosition() throws Exception {
    SettingsSection tree =
        parse(
            """
            s { a = 1
            b = 2 }
            s { a = 3
            c = 4 }
            """);
    SettingsSection s = tree.section("s").orElseThrow();
    assertThat(s.values().keySet()).containsExactly("a", "b", "c");
    assertThat(s.values()).containsEntry("a", "3");
  }

  @Test
  void keyNamedIncludeIsAnOrdinaryKey() throws Exception {
    assertThat(parse("include = x\n").values()).containsEntry("include", "x");
  }

  @Test
  void errorsNameFileLineAndSectionPath() {
    assertThatThrownBy(() -> parse("connections {\n  peer7 {\n    version 2\n  }\n}\n"))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.sectionPath()).containsExactly("connections", "peer7");
              assertThat(e.getMessage())
                  .startsWith("/test.conf:3: ")
                  .contains("expected '=' or '{'");
            });
    assertThatThrownBy(() -> parse("a {\n b = 1\n"))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e -> assertThat(e.getMessage()).contains("missing '}'").contains("'a'"));
    assertThatThrownBy(() -> parse("a = 1\n}\n"))
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.line()).isEqualTo(2));
    assertThatThrownBy(() -> parse("x {\n\n secret = \"abc\n"))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.getMessage()).contains("unterminated string").doesNotContain("abc");
            });
    assertThatThrownBy(() -> parse("= 1\n")).isInstanceOf(SettingsException.class);
  }

  @Test
  void includesWithGlobsAreSortedAndRelativeToTheIncludingFile() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\nconnections {\n  include peers/*.conf\n}\n");
    write("conf.d/b.conf", "x = from-b\n");
    write("conf.d/a.conf", "x = from-a\ny = a\ninclude ../extra/e.conf\n");
    write("conf.d/.hidden.conf", "x = hidden\n");
    write("conf.d/c.txt", "x = txt\n");
    write("extra/e.conf", "z = e\n");
    write("peers/p2.conf", "p2 { version = 2 }\n");
    write("peers/p1.conf", "p1 { version = 1 }\n");

    SettingsParseResult result = SettingsParser.parseDirectory(dir);

    assertThat(result.errors()).isEmpty();
    assertThat(result.tree().values())
        .containsEntry("x", "from-b")
        .containsEntry("y", "a")
        .containsEntry("z", "e");
    SettingsSection conns = result.tree().section("connections").orElseThrow();
    assertThat(conns.sections().keySet()).containsExactly("p1", "p2");
    assertThat(conns.section("p2").orElseThrow().sources())
        .containsExactly(dir.resolve("peers/p2.conf").toRealPath());
  }

  @Test
  void includeWithoutMatchesIsIgnored() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\ninclude missing.conf\na = 1\n");
    SettingsParseResult result = SettingsParser.parseDirectory(dir);
    assertThat(result.errors()).isEmpty();
    assertThat(result.tree().values()).containsEntry("a", "1");
  }

  @Test
  void includesLeavingTheDirectoryAreRefused(@TempDir Path outside) throws Exception {
    Files.writeString(outside.resolve("evil.conf"), "connections { evil { version = 2 } }\n");
    write("swanctl.conf", "a = 1\ninclude conf.d/*.conf\n");
    write("conf.d/up.conf", "include ../../" + outside.getFileName() + "/evil.conf\n");
    Files.createSymbolicLink(dir.resolve("conf.d/link.conf"), outside.resolve("evil.conf"));

    SettingsParseResult result = SettingsParser.parseDirectory(dir);

    assertThat(result.tree().section("connections")).isEmpty();
    assertThat(result.tree().values()).containsEntry("a", "1");
    assertThat(result.errors())
        .extracting(Throwable::getMessage)
        .anySatisfy(
            m -> assertThat(m).contains("up.conf:1").contains("leaves the configuration directory"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("link.conf")
                    .contains("outside the configuration directory"));
  }

  @Test
  void aBrokenFileIsSkippedAndTheOthersStillParse() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write("conf.d/1.conf", "connections { good1 { version = 2 } }\n");
    write("conf.d/2.conf", "connections {\n bad {\n  version = 2\n  oops\n }\n}\n");
    write("conf.d/3.conf", "connections { good3 { version = 2 } }\n");

    SettingsParseResult result = SettingsParser.parseDirectory(dir);

    assertThat(result.tree().section("connections").orElseThrow().sections().keySet())
        .containsExactly("good1", "good3");
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file().getFileName()).hasToString("2.conf");
              assertThat(e.line()).isEqualTo(4);
              assertThat(e.sectionPath()).containsExactly("connections", "bad");
            });
    assertThat(result.failedFiles())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("2.conf");
  }

  @Test
  void projectedVolumeLayoutIsFollowed() throws Exception {
    Path data = dir.resolve("..2026_01_01");
    Files.createDirectories(data.resolve("conf.d"));
    Files.writeString(data.resolve("swanctl.conf"), "include conf.d/*.conf\n");
    Files.writeString(data.resolve("conf.d/p.conf"), "connections { p { version = 2 } }\n");
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_01_01"));
    Files.createSymbolicLink(dir.resolve("swanctl.conf"), Path.of("..data/swanctl.conf"));
    Files.createSymbolicLink(dir.resolve("conf.d"), Path.of("..data/conf.d"));

    SettingsParseResult result = SettingsParser.parseDirectory(dir);

    assertThat(result.errors()).isEmpty();
    assertThat(result.tree().section("connections").orElseThrow().sections()).containsKey("p");
  }

  @Test
  void inMemoryFilesParseLikeADirectoryAndGlobsMatchOnlyThoseFiles() throws Exception {
    Path root = Path.of("/etc/swanctl");
    Map<String, byte[]> files =
        Map.of(
            "swanctl.conf", bytes("include conf.d/*.conf\n"),
            "conf.d/up.conf", bytes("include ../../outside.conf\n"),
            "conf.d/b.conf", bytes("connections { b { version = 2 } }\n"),
            "conf.d/a.conf", bytes("connections { a { version = 1 } }\n"),
            "conf.d/.hidden.conf", bytes("connections { hidden { version = 1 } }\n"),
            "conf.d/broken.conf", new byte[] {'x', ' ', '=', ' ', (byte) 0xff, '\n'});

    SettingsParseResult result =
        SettingsParser.parse(new InMemorySource(root, files), new SettingsParser.ParseCache());

    SettingsSection conns = result.tree().section("connections").orElseThrow();
    assertThat(conns.sections().keySet()).containsExactly("a", "b");
    assertThat(conns.section("b").orElseThrow().sources())
        .containsExactly(root.resolve("conf.d/b.conf"));
    assertThat(result.errors())
        .extracting(Throwable::getMessage)
        .anySatisfy(
            m -> assertThat(m).startsWith("/etc/swanctl/conf.d/up.conf:1").contains("leaves the"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("/etc/swanctl/conf.d/broken.conf")
                    .contains("MalformedInputException"));
  }

  @Test
  void anInMemoryParseReusesTheTreesOfUnchangedFiles() {
    Path root = Path.of("/etc/swanctl");
    Map<String, byte[]> files =
        Map.of(
            "swanctl.conf", bytes("include conf.d/*.conf\n"),
            "conf.d/a.conf", bytes("connections { a { version = 1 } }\n"));
    SettingsParser.ParseCache cache = new SettingsParser.ParseCache();
    SettingsParseResult first = SettingsParser.parse(new InMemorySource(root, files), cache);
    SettingsParseResult second = SettingsParser.parse(new InMemorySource(root, files), cache);
    assertThat(second.tree()).isEqualTo(first.tree());
    assertThat(second.contents()).isEqualTo(first.contents());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
