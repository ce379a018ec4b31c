package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Formats IpsecPeers like {@code kubectl get ipsecpeers}: gateway, remote, state, tunnels, age. */
public final class PeerTable {
  private static final String[] HEADER = {
    "NAME", "GATEWAY", "REMOTE", "STATE", "TUNNELS", "READY", "AGE"
  };

  private PeerTable() {}

  public static String render(List<IpsecPeer> peers, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    peers.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(peer -> rows.add(row(peer, now)));
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 3));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Whether the peer's Ready condition is True. */
  public static boolean isReady(IpsecPeer peer) {
    return condition(peer.getStatus(), "Ready")
        .map(c -> "True".equals(c.getStatus()))
        .orElse(false);
  }

  /**
   * Ready, the IKE SA established and every tunnel's CHILD SA installed: what the demo and the e2e
   * scenarios wait for.
   */
  public static boolean isUp(IpsecPeer peer) {
    IpsecPeerStatus status = peer.getStatus();
    return status != null
        && isReady(peer)
        && status.getIkeSa() != null
        && "ESTABLISHED".equals(status.getIkeSa().getState())
        && status.getTunnels() != null
        && !status.getTunnels().isEmpty()
        && status.getTunnels().stream().allMatch(t -> "INSTALLED".equals(t.getState()));
  }

  private static String[] row(IpsecPeer peer, Instant now) {
    IpsecPeerStatus status = peer.getStatus();
    String state =
        status != null && status.getIkeSa() != null && status.getIkeSa().getState() != null
            ? status.getIkeSa().getState()
            : "<none>";
    String tunnels =
        status != null && status.getTunnelSummary() != null ? status.getTunnelSummary() : "<none>";
    String ready = condition(status, "Ready").map(Condition::getStatus).orElse("<none>");
    return new String[] {
      peer.getMetadata().getName(),
      peer.getSpec().getGateway(),
      String.join(",", peer.getSpec().getRemoteAddresses()),
      state,
      tunnels,
      ready,
      age(peer.getMetadata().getCreationTimestamp(), now)
    };
  }

  private static Optional<Condition> condition(IpsecPeerStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** kubectl's short age format: 42s, 5m, 3h, 2d. */
  static String age(String creationTimestamp, Instant now) {
    if (creationTimestamp == null) {
      return "<unknown>";
    }
    Duration age = Duration.between(OffsetDateTime.parse(creationTimestamp).toInstant(), now);
    long seconds = Math.max(0, age.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
