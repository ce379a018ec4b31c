/**
 * The operator's own small PKI for the operator-agent channel, without Kubernetes: the CA (ECDSA
 * P-256, {@link dev.ipsec.operator.pki.CertificateAuthority}), the certificates it issues to the
 * gateway agents (server) and to the operator (client) with the holder's identity in a URI SAN
 * ({@link dev.ipsec.operator.pki.PeerIdentity}), PEM in and out ({@link
 * dev.ipsec.operator.pki.Pem}), when to renew ({@link dev.ipsec.operator.pki.Renewal}), and the TLS
 * contexts both ends build from it: chain checked against the CA, purpose and identity checked
 * explicitly instead of a host name ({@link dev.ipsec.operator.pki.PeerTrustManager}).
 *
 * <p>The operator keeps the CA in a Secret and the agents read their certificates from mounted
 * files; both only hand PEM text to this package, so it uses no other package of the project.
 * Private keys never appear in a message, a log line or a {@code toString()}.
 */
package dev.ipsec.operator.pki;
