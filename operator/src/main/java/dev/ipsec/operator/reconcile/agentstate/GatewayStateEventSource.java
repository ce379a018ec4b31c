package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.threads.DaemonThreads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns changes of the agents' reports into reconcile events for the resources they concern: the
 * peers whose connections changed, or the gateway itself. With an interval, a resource gets at most
 * one event per interval from the reports, the last report never missed ({@link
 * CoalescingTrigger}); one thread schedules them for every resource.
 */
public final class GatewayStateEventSource<P extends HasMetadata>
    extends AbstractEventSource<AgentReport, P> {

  private final Function<GatewayStateStore.Change, Set<ResourceID>> targets;
  private final ScheduledExecutorService scheduler;
  private final CoalescingTrigger<ResourceID> trigger;

  /** An event for every change of every target. */
  public GatewayStateEventSource(
      String name,
      GatewayStateStore store,
      Function<GatewayStateStore.Change, Set<ResourceID>> targets) {
    this(name, store, targets, Duration.ZERO);
  }

  /** At most one event per target per {@code interval}, the first at once. */
  public GatewayStateEventSource(
      String name,
      GatewayStateStore store,
      Function<GatewayStateStore.Change, Set<ResourceID>> targets,
      Duration interval) {
    super(AgentReport.class, name);
    this.targets = targets;
    this.scheduler =
        interval.isZero()
            ? null
            : Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-coalescer"));
    this.trigger =
        new CoalescingTrigger<>(
            interval,
            (task, delay) -> scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS),
            this::fire);
    store.addListener(this::onChange);
  }

  @Override
  public Set<AgentReport> getSecondaryResources(P primary) {
    return Set.of(); // a trigger only: readers ask the store
  }

  @Override
  public void stop() {
    super.stop();
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void onChange(GatewayStateStore.Change change) {
    if (!isRunning()) {
      return;
    }
    for (ResourceID id : targets.apply(change)) {
      trigger.request(id);
    }
  }

  private void fire(ResourceID id) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
