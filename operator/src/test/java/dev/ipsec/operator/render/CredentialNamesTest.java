package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CredentialNamesTest {

  private static final Set<String> CONNECTIONS = Set.of("site-b", "site-b-ca", "hq");

  @Test
  void everyNameTheRendererGivesAConnectionLeadsBackToIt() {
    for (String conn : CONNECTIONS) {
      assertThat(CredentialNames.ownerOf("x509/" + CredentialNames.certificate(conn), CONNECTIONS))
          .contains(conn);
      assertThat(
              CredentialNames.ownerOf("private/" + CredentialNames.privateKey(conn), CONNECTIONS))
          .contains(conn);
      assertThat(
              CredentialNames.ownerOf(
                  "x509ca/" + CredentialNames.caCertificate(conn, 3), CONNECTIONS))
          .contains(conn);
      assertThat(
              CredentialNames.ownerOf(
                  "pubkey/" + CredentialNames.localPublicKey(conn), CONNECTIONS))
          .contains(conn);
      assertThat(
              CredentialNames.ownerOf(
                  "pubkey/" + CredentialNames.remotePublicKey(conn), CONNECTIONS))
          .contains(conn);
      assertThat(CredentialNames.ownerOf(CredentialNames.sharedSecret(conn), CONNECTIONS))
          .contains(conn);
      assertThat(CredentialNames.ownerOf(CredentialNames.privateKeySecret(conn), CONNECTIONS))
          .contains(conn);
    }
  }

  @Test
  void aNameOfNoKnownConnectionHasNoOwner() {
    assertThat(CredentialNames.ownerOf("private/other.pem", CONNECTIONS)).isEmpty();
    assertThat(CredentialNames.ownerOf("ike-other", CONNECTIONS)).isEmpty();
    assertThat(CredentialNames.ownerOf("x509ca/other-ca-0.pem", CONNECTIONS)).isEmpty();
    assertThat(CredentialNames.ownerOf("secrets.d/site-b.conf", CONNECTIONS)).isEmpty();
  }
}
