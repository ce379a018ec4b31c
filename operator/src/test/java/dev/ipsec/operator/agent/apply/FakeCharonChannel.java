package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.vici.ViciMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A charon for the loader's unit tests: every command succeeds with an empty answer, except the
 * whole-state reads the loader must not depend on ({@code get-conns}, {@code get-shared}), which
 * fail as they do past 512 KiB; {@code list-conns} streams the given events. Records what was sent.
 */
final class FakeCharonChannel implements ViciChannel {

  private final List<ViciMessage> listConnEvents;
  final List<String> sent = new ArrayList<>();

  FakeCharonChannel(List<ViciMessage> listConnEvents) {
    this.listConnEvents = listConnEvents;
  }

  /** One {@code list-conn} event per name, shaped as charon sends them. */
  static FakeCharonChannel holding(String... connections) {
    List<ViciMessage> events = new ArrayList<>();
    for (String name : connections) {
      events.add(event(name));
    }
    return new FakeCharonChannel(events);
  }

  static ViciMessage event(String name) {
    return ViciMessage.empty()
        .putSection(
            name,
            ViciMessage.empty()
                .putList("local_addrs", List.of("192.0.2.1"))
                .put("version", "IKEv2"));
  }

  @Override
  public ViciMessage call(String command, ViciMessage request) {
    sent.add(command);
    if (command.equals("get-conns") || command.equals("get-shared")) {
      throw new AssertionError(command + " is answered in one message, lost past 512 KiB");
    }
    return ViciMessage.empty();
  }

  @Override
  public void stream(
      String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent) {
    sent.add(command);
    if (!command.equals("list-conns") || !event.equals("list-conn")) {
      throw new AssertionError("unexpected stream " + command + "/" + event);
    }
    listConnEvents.forEach(onEvent);
  }
}
