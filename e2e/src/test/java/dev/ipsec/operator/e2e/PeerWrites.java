package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every write of one IpsecPeer as a watch on the API server sees it (its MODIFIED events, in
 * arrival order): what a GitOps tool watching the resource would see, and the intermediate states a
 * 100 ms poll can miss.
 */
final class PeerWrites implements Watcher<IpsecPeer> {

  /** One MODIFIED event of the peer as the API server sent it, and when it arrived. */
  record PeerWrite(long nanos, String resourceVersion, IpsecPeer peer) {}

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private final List<PeerWrite> writes = new CopyOnWriteArrayList<>();
  private volatile WatcherException closedWith;

  /** Starts watching {@code peer}; the caller closes the returned watch. */
  Watch watch(E2eCluster cluster, String peer) {
    return cluster
        .client()
        .resources(IpsecPeer.class)
        .inNamespace(cluster.namespace())
        .withName(peer)
        .watch(this);
  }

  @Override
  public void eventReceived(Action action, IpsecPeer peer) {
    if (action == Action.MODIFIED) {
      writes.add(new PeerWrite(System.nanoTime(), peer.getMetadata().getResourceVersion(), peer));
    }
  }

  @Override
  public void onClose(WatcherException cause) {
    closedWith = cause;
  }

  List<PeerWrite> all() {
    return List.copyOf(writes);
  }

  /** The first write matching {@code condition}, waiting up to {@code timeout} for it. */
  PeerWrite await(Predicate<PeerWrite> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (PeerWrite write : writes) {
        if (condition.test(write)) {
          return write;
        }
      }
      if (closedWith != null) {
        throw new AssertionError("the watch on the peer closed", closedWith);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "no write of the peer matched within "
            + timeout
            + "; writes: "
            + writes.stream()
                .map(
                    w ->
                        "\n--- resourceVersion "
                            + w.resourceVersion()
                            + "\n"
                            + YAML.asYaml(w.peer().getStatus()))
                .collect(Collectors.joining()));
  }
}
