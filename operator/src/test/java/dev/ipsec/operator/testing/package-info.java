/**
 * Test harness for real strongSwan: shared by the unit, render, agent, demo and e2e tests
 * (published in the operator's test-jar).
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.testing.NetnsLab}: uniquely named network namespaces, veth links,
 *       documentation-range addresses, bounded commands, cleanup on close and at JVM exit.
 *   <li>{@link dev.ipsec.operator.testing.CharonInstance}: one charon per namespace with its own
 *       strongswan.conf, private {@code /run}, VICI socket and log file; start (ready when VICI
 *       answers), {@code kill()} (SIGKILL, for DPD), {@code stop()} (SIGTERM), {@code restart()},
 *       {@code swanctlLoadAll(file)}; or started from a given strongswan.conf (the renderer's),
 *       with {@code loadAll(files, secrets)} ({@link dev.ipsec.operator.testing.SwanctlLoad}:
 *       replaces every earlier load) and {@code listConnections()}.
 *   <li>{@link dev.ipsec.operator.testing.SiteToSite}: the usual two-gateway topology with PSK
 *       connection builders for both ends (VICI message or swanctl.conf text).
 *   <li>{@link dev.ipsec.operator.testing.TestPki}: a CA that issues gateway certificates and RSA
 *       key pairs, in the PEM forms the API takes; needs neither root nor charon.
 * </ul>
 *
 * <pre>{@code
 * try (SiteToSite sites = SiteToSite.create("xy", tempDir)) {   // "xy": your namespace prefix
 *   sites.a().fastRetransmit();
 *   sites.start();
 *   Path conf = tempDir.resolve("a.conf");
 *   Files.writeString(conf, SiteToSite.swanctlConf(
 *       Side.A, "tun", "c1", Map.of(), Map.of("start_action", "start"), "psk"));
 *   sites.a().swanctlLoadAll(conf).orThrow("load a");
 * }
 * }</pre>
 *
 * <p>Needs root, {@code /usr/lib/ipsec/charon} with kernel-libipsec, and {@code /dev/net/tun}: the
 * CI image has them; tests never skip when they are missing.
 */
package dev.ipsec.operator.testing;
