package dev.ipsec.operator.reconcile.agentstate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns changes of the agents' reports into reconcile events for the resources they concern: the
 * peers whose connections changed, or the gateway itself.
 */
public final class GatewayStateEventSource<P extends HasMetadata>
    extends AbstractEventSource<AgentReport, P> {

  private final Function<GatewayStateStore.Change, Set<ResourceID>> targets;

  public GatewayStateEventSource(
      String name,
      GatewayStateStore store,
      Function<GatewayStateStore.Change, Set<ResourceID>> targets) {
    super(AgentReport.class, name);
    this.targets = targets;
    store.addListener(this::onChange);
  }

  @Override
  public Set<AgentReport> getSecondaryResources(P primary) {
    return Set.of(); // a trigger only: readers ask the store
  }

  private void onChange(GatewayStateStore.Change change) {
    if (!isRunning()) {
      return;
    }
    for (ResourceID id : targets.apply(change)) {
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
