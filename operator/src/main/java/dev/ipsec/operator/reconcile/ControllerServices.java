package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectCache;
import dev.ipsec.operator.reconcile.status.EventRecorder;
import java.time.Clock;

/**
 * What the IpsecPeer and the IpsecGlobal controller both work with, made once by {@link
 * IpsecOperator}: the two must see the same referenced objects, stores, defaults and policy, or a
 * peer's status would judge a gateway other than the one that runs.
 *
 * @param referencedObjects the shared cache of referenced Secrets and ConfigMaps
 * @param stores what the gateway side tells the peer side
 * @param defaults the operator's gateway defaults
 * @param policy what the platform allows a gateway's pods
 * @param events where both record Kubernetes Events
 */
record ControllerServices(
    ReferencedObjectCache referencedObjects,
    GatewayStores stores,
    GatewayDefaults defaults,
    GatewayPolicy policy,
    EventRecorder events,
    Clock clock) {}
