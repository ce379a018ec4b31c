package dev.ipsec.operator.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading charon's connection names from streamed {@code list-conn} events, as untrusted input. */
class CharonConnectionsTest {

  @Test
  void namesComeFromTheListConnEventsInCharonsOrder() {
    FakeCharonChannel charon = FakeCharonChannel.holding("site-b", "a".repeat(100), "peer7");

    assertThat(CharonConnections.read(charon)).containsExactly("site-b", "a".repeat(100), "peer7");
    assertThat(charon.sent).containsExactly("list-conns");
  }

  @Test
  void aNameListedTwiceCountsOnce() {
    assertThat(CharonConnections.read(FakeCharonChannel.holding("x", "y", "x")))
        .containsExactly("x", "y");
  }

  @Test
  void anEventThatIsNotOneConnectionSectionIsRefused() {
    ViciMessage two =
        ViciMessage.empty()
            .putSection("a", ViciMessage.empty())
            .putSection("b", ViciMessage.empty());
    ViciMessage notASection = ViciMessage.empty().put("a", "value");
    ViciMessage sectionAndValue =
        ViciMessage.empty().putSection("a", ViciMessage.empty()).put("extra", "1");

    for (ViciMessage event : List.of(two, notASection, sectionAndValue, ViciMessage.empty())) {
      assertThatThrownBy(() -> CharonConnections.read(new FakeCharonChannel(List.of(event))))
          .as(event.toString())
          .isInstanceOf(ViciProtocolException.class)
          .hasMessageContaining("expected one connection section");
    }
  }

  @Test
  void anEmptyNameOrOneWithAControlCharacterIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> CharonConnections.read(FakeCharonChannel.holding("")))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("0 characters");
    assertThatThrownBy(
            () -> CharonConnections.read(FakeCharonChannel.holding("ok", "evil\nINFO forged")))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("control character")
        .hasMessageNotContaining("forged");
  }

  @Test
  void atMostMaxConnectionsAreTaken() {
    List<ViciMessage> events = new ArrayList<>();
    for (int i = 0; i < CharonConnections.MAX_CONNECTIONS; i++) {
      events.add(ViciMessage.empty().putSection("c" + i, ViciMessage.empty()));
    }
    assertThat(CharonConnections.read(new FakeCharonChannel(events)))
        .hasSize(CharonConnections.MAX_CONNECTIONS);

    events.add(ViciMessage.empty().putSection("one-more", ViciMessage.empty()));
    assertThatThrownBy(() -> CharonConnections.read(new FakeCharonChannel(events)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("more than " + CharonConnections.MAX_CONNECTIONS);
  }
}
