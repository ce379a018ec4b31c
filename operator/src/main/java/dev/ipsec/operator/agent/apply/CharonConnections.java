package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciProtocolException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names of the connections charon holds, read from {@code list-conns}: one {@code list-conn}
 * event per connection, each a message of its own. {@code get-conns} answers with every name in one
 * message, which charon discards unsent once it passes VICI's 512 KiB (from about 5,100 connections
 * of 100-character names), so a full load must not depend on it.
 *
 * <p>{@code list-conns} lists the connections of every configuration backend; a gateway's charon
 * loads only the {@code vici} one ({@code render.CharonPlugins}), whose connections are the ones
 * {@code get-conns} names.
 *
 * <p>charon's answer is untrusted input: each event must hold exactly one connection, named with at
 * least one character and no control character (names end up in the agent's log), and at most
 * {@value #MAX_CONNECTIONS} are taken; anything else is a {@link ViciProtocolException} that aborts
 * the read without naming what charon sent.
 */
public final class CharonConnections {

  /**
   * Three times the most peers a gateway's volume can hold (about 32,000 PSK peers): room for
   * connections loaded behind the agent's back, while the names kept stay a few MiB at most.
   */
  public static final int MAX_CONNECTIONS = 100_000;

  private CharonConnections() {}

  /** The names of charon's connections, in the order charon lists them. */
  public static Set<String> read(ViciChannel vici) {
    // filled on the connection's reader thread; the command's answer, read after the last event
    // through the connection's reply queue, publishes it to this thread
    Set<String> names = new LinkedHashSet<>();
    vici.stream(
        "list-conns",
        "list-conn",
        ViciMessage.empty(),
        event -> {
          String name = connectionOf(event);
          if (names.add(name) && names.size() > MAX_CONNECTIONS) {
            throw new ViciProtocolException(
                "charon listed more than " + MAX_CONNECTIONS + " connections", -1);
          }
        });
    return names;
  }

  private static String connectionOf(ViciMessage event) {
    Map<String, Object> entries = event.entries();
    if (entries.size() != 1 || event.sections().size() != 1) {
      throw new ViciProtocolException(
          "a list-conn event holds "
              + entries.size()
              + " entries and "
              + event.sections().size()
              + " sections; expected one connection section",
          -1);
    }
    String name = entries.keySet().iterator().next();
    if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
      throw new ViciProtocolException(
          "a list-conn event names a connection of "
              + name.length()
              + " characters that is empty or holds a control character",
          -1);
    }
    return name;
  }
}
