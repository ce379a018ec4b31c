package dev.ipsec.operator.vici;

/**
 * charon did not answer a command within its timeout. The connection is dropped, because a late
 * reply would otherwise be taken as the answer to the next command (VICI has no sequence numbers).
 */
public final class ViciTimeoutException extends ViciConnectionException {

  public ViciTimeoutException(String message) {
    super(message);
  }
}
