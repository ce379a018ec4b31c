package dev.ipsec.operator.vici;

import java.util.Optional;

/**
 * charon answered a command but refused it: {@code success = no} with an {@code errmsg}, or
 * CMD_UNKNOWN / EVENT_UNKNOWN for a name it does not know.
 */
public final class ViciCommandException extends ViciException {

  private final String command;
  private final String errmsg;

  public ViciCommandException(String command, String errmsg) {
    super("vici command '" + command + "' failed: " + errmsg);
    this.command = command;
    this.errmsg = errmsg;
  }

  public static ViciCommandException unknownCommand(String command) {
    return new ViciCommandException(command, "unknown command (charon answered CMD_UNKNOWN)");
  }

  public static ViciCommandException unknownEvent(String event) {
    return new ViciCommandException(
        "register " + event, "unknown event (charon answered EVENT_UNKNOWN)");
  }

  public String command() {
    return command;
  }

  /** charon's {@code errmsg}, if it sent one. */
  public Optional<String> errmsg() {
    return Optional.ofNullable(errmsg);
  }
}
