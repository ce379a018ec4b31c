package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.gateway.LeftOutPeers;
import dev.ipsec.operator.reconcile.gateway.PeerGenerations;

/**
 * What the operator keeps in memory about each gateway, shared by its two reconcilers: the
 * IpsecGlobal reconciler (and its poller) writes it, the IpsecPeer reconciler reads a peer's part.
 *
 * @param states what the gateway's agents report
 * @param leftOut the peers the gateway's last plan had no room for
 * @param generations which generation of each peer the gateway's volume holds
 */
record GatewayStores(GatewayStateStore states, LeftOutPeers leftOut, PeerGenerations generations) {}
