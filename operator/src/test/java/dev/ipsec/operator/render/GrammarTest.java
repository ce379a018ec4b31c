package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrammarTest {

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "198.51.100.10"})
  void acceptsIpv4(String s) {
    assertThat(Grammar.isIpv4(s)).isTrue();
    assertThat(Grammar.isIpAddress(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2",
        "192.0.2.256",
        "01.2.3.4",
        "1.2.3.4.5",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1.2.3.4\n"
      })
  void rejectsMalformedIpv4(String s) {
    assertThat(Grammar.isIpv4(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "::1",
        "2001:db8::",
        "2001:db8::1",
        "fe80::1:2:3:4",
        "2001:db8:0:0:0:0:0:1",
        "::ffff:192.0.2.1",
        "1::",
        "1:2:3:4:5:6:7::"
      })
  void acceptsIpv6(String s) {
    assertThat(Grammar.isIpv6(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":",
        ":::",
        "1:::2",
        "2001:db8::1::2",
        "12345::",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "fe80::1%eth0",
        "g::1",
        ":1:2",
        "1:2:",
        "::1.2.3",
        "1.2.3.4::"
      })
  void rejectsMalformedIpv6(String s) {
    assertThat(Grammar.isIpv6(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"vpn.example.com", "a", "gw-1.example.org.", "_srv.example.com", "x1"})
  void acceptsFqdn(String s) {
    assertThat(Grammar.isFqdn(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "a..b",
        "-a.com",
        "a-.com",
        "a b.com",
        "a{b}.com",
        "a\"b",
        "1.2.3.4",
        "a.com\n#",
        "é.com"
      })
  void rejectsMalformedFqdn(String s) {
    assertThat(Grammar.isFqdn(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "%any",
        "192.0.2.1",
        "2001:db8::1",
        "vpn.example.com",
        "@vpn.example.com",
        "user@example.com",
        "C=CH, O=strongSwan Project, CN=moon.strongswan.org",
        "CN=gw1",
        "/C=DE/O=Example/CN=x",
        "fqdn:vpn.example.com",
        "email:joe@example.com",
        "ipv4:192.0.2.1",
        "keyid:#0a1b2c",
        "@#cafe"
      })
  void acceptsIdentities(String s) {
    assertThat(Grammar.isIdentity(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a b",
        "CN=x\n",
        "CN=a\"b",
        "CN=a{b",
        "CN=a}b",
        "CN=a#b",
        "x\"; secret = \"y",
        "}",
        "id {",
        "%anything",
        "keyid:nothex",
        "fqdn:not a name",
        "=value",
        "CN=",
        "user@",
        "@"
      })
  void rejectsHostileOrMalformedIdentities(String s) {
    assertThat(Grammar.isIdentity(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.0/24",
        "0.0.0.0/0",
        "2001:db8::/32",
        "::/0",
        "192.0.2.1/32",
        "192.0.2.1/24"
      })
  void acceptsPrefixes(String s) {
    assertThat(Grammar.isPrefix(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.0",
        "192.0.2.0/33",
        "2001:db8::/129",
        "192.0.2.0/024",
        "/24",
        "192.0.2.0/",
        "a/8",
        "192.0.2.0/24,10.0.0.0/8"
      })
  void rejectsMalformedPrefixes(String s) {
    assertThat(Grammar.isPrefix(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"eth0", "net1", "bond0.100", "wg_0", "a23456789012345"})
  void acceptsInterfaceNames(String s) {
    assertThat(Grammar.isInterfaceName(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a234567890123456", "eth 0", "eth0/1", "..", "eth0,eth1", "eth\"0"})
  void rejectsMalformedInterfaceNames(String s) {
    assertThat(Grammar.isInterfaceName(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"vti0", "vti1", "vti42"})
  void acceptsVtiNames(String s) {
    assertThat(Grammar.isVtiName(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"vti", "vti01", "eth0", "vti-1", "VTI1", "vti1 "})
  void rejectsOtherVtiNames(String s) {
    assertThat(Grammar.isVtiName(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"peer1", "branch_office-2", "A"})
  void acceptsConnectionNames(String s) {
    assertThat(Grammar.isConnectionName(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a.b", "a:b", "a b", "a{", "@peer"})
  void rejectsConnectionNamesTheFormatCannotCarry(String s) {
    assertThat(Grammar.isConnectionName(s)).isFalse();
  }
}
