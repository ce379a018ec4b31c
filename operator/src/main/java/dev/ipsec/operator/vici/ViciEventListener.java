package dev.ipsec.operator.vici;

/**
 * Receives the events of a {@link ViciSubscription}. All methods are called on the subscription's
 * reader thread, in the order charon sent the events; they should return quickly.
 */
@FunctionalInterface
public interface ViciEventListener {

  /** One event, e.g. {@code ike-updown} with its message. */
  void onEvent(String event, ViciMessage message);

  /**
   * A connection is up and every event is registered. {@code generation} counts successful
   * connections of this subscription: 1 for the first, higher after charon went away and came back,
   * which means charon was most likely restarted and lost everything loaded over VICI. Events of
   * the new connection may arrive just before this call.
   */
  default void onConnected(long generation) {}

  /** The connection broke (charon stopped or crashed); the subscription reconnects by itself. */
  default void onDisconnected(ViciException cause) {}
}
