package dev.ipsec.operator.reconcile.agentstate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The uids of the most recently deleted gateways, so that a reconcile that was still running when
 * its gateway went cannot start its pollers again. Such a reconcile comes within seconds: the last
 * {@value #REMEMBERED} are plenty. Not thread-safe: used under the poller's lock.
 */
final class RetiredGateways {

  private static final int REMEMBERED = 1024;

  private final Set<String> uids =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          });

  void add(String uid) {
    uids.add(uid);
  }

  boolean contains(String uid) {
    return uids.contains(uid);
  }
}
