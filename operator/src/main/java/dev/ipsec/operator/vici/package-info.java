/**
 * A small VICI client for charon, without Kubernetes or native code.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.vici.ViciMessage}: the message tree (key-values, lists,
 *       sections); {@link dev.ipsec.operator.vici.ViciCodec}: the wire format with its limits.
 *   <li>{@link dev.ipsec.operator.vici.ViciClient}: commands ({@code call}), streamed commands
 *       ({@code stream}) and event subscriptions ({@code subscribe}) over the Unix socket, with
 *       per-call timeouts and reconnects.
 *   <li>{@link dev.ipsec.operator.vici.ViciCommands}: the commands the agent uses, typed, raising
 *       {@link dev.ipsec.operator.vici.ViciCommandException} with charon's {@code errmsg}.
 * </ul>
 *
 * <p>Typical agent wiring:
 *
 * <pre>{@code
 * ViciClient client = new ViciClient(ViciClient.socketPath("unix:///run/vici/charon.vici"));
 * ViciCommands charon = new ViciCommands(client);
 * charon.loadShared(new SharedSecret("ike-peer1", "IKE", psk, List.of("a.example", "b.example")));
 * charon.loadConn("peer1", connectionMessage);
 * ViciSubscription events = client.subscribe(List.of("ike-updown", "log"), listener);
 * }</pre>
 *
 * <p>Failures: {@link dev.ipsec.operator.vici.ViciConnectionException} (charon unreachable or gone;
 * the next call reconnects), {@link dev.ipsec.operator.vici.ViciTimeoutException} (no answer in
 * time), {@link dev.ipsec.operator.vici.ViciCommandException} (charon refused), {@link
 * dev.ipsec.operator.vici.ViciProtocolException} (malformed bytes). A charon restart shows as a
 * subscription's {@code onConnected(generation > 1)} and as a new {@code stats().since()}.
 */
package dev.ipsec.operator.vici;
