package dev.ipsec.operator.agent.http;

import dev.ipsec.operator.agent.StateRevision;
import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.LongConsumer;

/** A state view whose revision the test moves, serving a recorded document's state. */
public final class FakeStateView implements AgentStateView {

  private final StateRevision revision = new StateRevision();
  private final AgentState state;

  /** Serves the state of the recorded document {@code fixtures/agent-state/<name>.json}. */
  public FakeStateView(String fixture) {
    try (InputStream in =
        FakeStateView.class.getResourceAsStream("/fixtures/agent-state/" + fixture + ".json")) {
      AgentStateDocument document = AgentStateJson.read(in.readAllBytes());
      this.state = document.state();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long bump() {
    return revision.bump();
  }

  @Override
  public long revision() {
    return revision.current();
  }

  @Override
  public void onNewRevision(LongConsumer listener) {
    revision.onBump(listener);
  }

  @Override
  public AgentState state() {
    return state;
  }

  @Override
  public String unhealthyReason() {
    return null;
  }

  @Override
  public String notReadyReason() {
    return null;
  }
}
