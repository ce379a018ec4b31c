package dev.ipsec.operator.vici;

import java.util.Objects;

/**
 * One VICI segment's content: a packet type, a name for the named types (command or event name) and
 * a message for the types that carry one (empty otherwise).
 */
public record ViciPacket(ViciPacketType type, String name, ViciMessage message) {

  public ViciPacket {
    Objects.requireNonNull(type, "type");
    if (type.named() != (name != null)) {
      throw new IllegalArgumentException(
          type + (type.named() ? " needs a name" : " carries no name"));
    }
    message = message == null ? ViciMessage.empty() : message;
    if (!type.carriesMessage() && !message.isEmpty()) {
      throw new IllegalArgumentException(type + " carries no message");
    }
  }

  public static ViciPacket request(String command, ViciMessage message) {
    return new ViciPacket(ViciPacketType.CMD_REQUEST, command, message);
  }

  public static ViciPacket register(String event) {
    return new ViciPacket(ViciPacketType.EVENT_REGISTER, event, null);
  }

  public static ViciPacket unregister(String event) {
    return new ViciPacket(ViciPacketType.EVENT_UNREGISTER, event, null);
  }

  public static ViciPacket of(ViciPacketType type) {
    return new ViciPacket(type, null, null);
  }

  /** Names the packet only: messages may carry secrets (load-shared, load-key). */
  @Override
  public String toString() {
    return name == null ? type.name() : type + " '" + name + "'";
  }
}
