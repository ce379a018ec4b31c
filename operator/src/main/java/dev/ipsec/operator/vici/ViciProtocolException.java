package dev.ipsec.operator.vici;

/**
 * Bytes that do not follow the VICI wire format: a bad length, an unknown packet or element type, a
 * truncated name or value, unbalanced sections, a list in the wrong place. Carries the offset (in
 * the packet or message being decoded) where the problem was found.
 */
public final class ViciProtocolException extends ViciException {

  private final int offset;

  public ViciProtocolException(String problem, int offset) {
    super(problem + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Offset of the offending byte inside the packet or message; -1 when not positional. */
  public int offset() {
    return offset;
  }
}
