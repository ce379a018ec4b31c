package dev.ipsec.operator.vyos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VyosTokenizerTest {

  @Test
  void keepsOnlyVpnIpsecLinesWithTheirNumbers() {
    String text =
        """
        set interfaces ethernet eth0 address '192.0.2.1/24'
        set vpn ipsec ike-group IKE proposal 1 encryption 'aes256'

        delete vpn ipsec ike-group OLD
        set vpn l2tp remote-access outside-address '192.0.2.1'
        set vpn ipsec esp-group ESP pfs 'dh-group14'
        """;

    VyosTokenizer.Tokenized result = VyosTokenizer.tokenize(text);

    assertThat(result.errors()).isEmpty();
    assertThat(result.lines())
        .containsExactly(
            new VyosLine(2, List.of("ike-group", "IKE", "proposal", "1", "encryption", "aes256")),
            new VyosLine(6, List.of("esp-group", "ESP", "pfs", "dh-group14")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "set vpn ipsec site-to-site peer P description 'two words here'|two words here",
        "set vpn ipsec site-to-site peer P description 'it\\'s'|it's",
        "set vpn ipsec site-to-site peer P description 'back\\\\slash'|back\\slash",
        "set vpn ipsec site-to-site peer P description \"double quoted\"|double quoted",
        "set vpn ipsec site-to-site peer P description ''|''",
        "set 'vpn' 'ipsec' 'site-to-site' 'peer' 'P' 'description' 'x'|x",
        "  set vpn ipsec   site-to-site peer P description\tx  |x",
      })
  void unquotesTheValueAsVyosPrintsIt(String line, String value) {
    VyosTokenizer.Tokenized result = VyosTokenizer.tokenize(line);

    assertThat(result.errors()).isEmpty();
    assertThat(result.lines()).hasSize(1);
    String expected = value.equals("''") ? "" : value;
    assertThat(result.lines().get(0).words())
        .containsExactly("site-to-site", "peer", "P", "description", expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "set vpn ipsec site-to-site peer P description 'open|unterminated quote",
        "set vpn ipsec site-to-site peer P description 'a'b|after a closing quote",
        "set vpn ipsec site-to-site peer P description a'b'|quote inside a word",
      })
  void malformedLinesAreErrorsWithTheirLineNumber(String line, String message) {
    VyosTokenizer.Tokenized result = VyosTokenizer.tokenize("set system host-name r1\n" + line);

    assertThat(result.lines()).isEmpty();
    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).line()).isEqualTo(2);
    assertThat(result.errors().get(0).severity()).isEqualTo(VyosProblem.Severity.ERROR);
    assertThat(result.errors().get(0).message()).contains(message);
  }

  @Test
  void keepsSetPkiLinesApartForThePeersThatNameThem() {
    String text =
        """
        set pki ca ROOT certificate 'MIIB'
        set vpn ipsec site-to-site peer P authentication x509 ca-certificate 'ROOT'
        set 'pki' 'key-pair' 'K' 'private' 'password-protected'
        set pkix something
        """;

    VyosTokenizer.Tokenized result = VyosTokenizer.tokenize(text);

    assertThat(result.errors()).isEmpty();
    assertThat(result.lines()).extracting(VyosLine::number).containsExactly(2);
    assertThat(result.pkiLines())
        .containsExactly(
            new VyosLine(1, "pki", List.of("ca", "ROOT", "certificate", "MIIB")),
            new VyosLine(3, "pki", List.of("key-pair", "K", "private", "password-protected")));
    assertThat(result.pkiLines().get(0).text()).isEqualTo("set pki ca ROOT certificate MIIB");
  }

  @Test
  void malformedLinesOfOtherSubsystemsAreNotOurs() {
    VyosTokenizer.Tokenized result =
        VyosTokenizer.tokenize(
            "set system login banner 'unterminated\nset vpn ipsec interface eth0");

    assertThat(result.errors()).isEmpty();
    assertThat(result.lines()).containsExactly(new VyosLine(2, List.of("interface", "eth0")));
  }

  @Test
  void textQuotesWhatNeedsIt() {
    VyosLine line =
        new VyosLine(1, List.of("site-to-site", "peer", "P", "description", "it's a b"));

    assertThat(line.text()).isEqualTo("set vpn ipsec site-to-site peer P description 'it\\'s a b'");
    assertThat(VyosTokenizer.tokenize(line.text()).lines().get(0)).isEqualTo(line);
  }
}
