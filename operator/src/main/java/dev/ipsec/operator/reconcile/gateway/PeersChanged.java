package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.util.Set;

/**
 * Peers of one gateway whose gateway-wide verdict may have changed: what {@link LeftOutPeers} and
 * {@link PeerGenerations} announce, so that exactly those peers are reconciled again.
 */
public record PeersChanged(GatewayId gateway, Set<String> peers) {}
