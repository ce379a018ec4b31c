package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;

/**
 * A certificate ({@code load-cert}) or private key ({@code load-key}) read from the credential
 * folders of the configuration directory.
 *
 * @param file path relative to the configuration directory, e.g. {@code x509ca/root.pem}
 * @param command {@code load-cert} or {@code load-key}
 */
public record CredentialSpec(String file, String command, ViciMessage request, String fingerprint) {

  /** Never prints the request: keys are secret. */
  @Override
  public String toString() {
    return "CredentialSpec{" + command + " " + file + "}";
  }
}
