package dev.ipsec.operator.vici;

/**
 * The socket to charon could not be opened, or broke while a command or subscription was using it
 * (charon stopped or restarted). The client reconnects on the next call.
 */
public class ViciConnectionException extends ViciException {

  public ViciConnectionException(String message) {
    super(message);
  }

  public ViciConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
