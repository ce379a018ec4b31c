package dev.ipsec.operator.vici;

/** The first byte of every VICI segment (vici_socket.h / README "packet layer"). */
public enum ViciPacketType {
  CMD_REQUEST(0, true, true),
  CMD_RESPONSE(1, false, true),
  CMD_UNKNOWN(2, false, false),
  EVENT_REGISTER(3, true, false),
  EVENT_UNREGISTER(4, true, false),
  EVENT_CONFIRM(5, false, false),
  EVENT_UNKNOWN(6, false, false),
  EVENT(7, true, true);

  private static final ViciPacketType[] BY_CODE = values();

  private final int code;
  private final boolean named;
  private final boolean carriesMessage;

  ViciPacketType(int code, boolean named, boolean carriesMessage) {
    this.code = code;
    this.named = named;
    this.carriesMessage = carriesMessage;
  }

  public int code() {
    return code;
  }

  /** Whether a name (u8 length + bytes) follows the type byte. */
  public boolean named() {
    return named;
  }

  /** Whether a message (elements) follows the type byte and the name. */
  public boolean carriesMessage() {
    return carriesMessage;
  }

  /** The type with this code, or null for an unknown code. */
  static ViciPacketType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
