package dev.ipsec.operator.vici;

/**
 * Base of every failure the VICI layer reports. Unchecked so that callers (the agent's apply loop)
 * can catch the one level they care about: protocol, connection or a command's refusal.
 *
 * <p>Messages never contain secret values: only command names, keys and charon's {@code errmsg}.
 */
public class ViciException extends RuntimeException {

  public ViciException(String message) {
    super(message);
  }

  public ViciException(String message, Throwable cause) {
    super(message, cause);
  }
}
