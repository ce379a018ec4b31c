package dev.ipsec.operator.agent.swanctl;

/** One connection, secret or credential that cannot be turned into a VICI request. */
public final class ConfigItemException extends Exception {
  public ConfigItemException(String message) {
    super(message);
  }
}
