package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheThenServerTest {

  final List<String> asked = new ArrayList<>();

  static IkeGroup group(String name, boolean deleting) {
    IkeGroup g = new IkeGroup();
    g.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withResourceVersion("7")
            .withDeletionTimestamp(deleting ? "2026-12-06T00:00:00Z" : null)
            .build());
    return g;
  }

  CacheThenServer<IkeGroup> lookup(Map<String, IkeGroup> cache, Map<String, IkeGroup> server) {
    return new CacheThenServer<>(
        n -> Optional.ofNullable(cache.get(n)),
        n -> {
          asked.add(n);
          return server.get(n);
        });
  }

  @Test
  void aCachedObjectIsNeverAskedOfTheServer() {
    IkeGroup cached = group("ike", false);
    var lookup = lookup(Map.of("ike", cached), Map.of("ike", group("ike", false)));
    assertThat(lookup.find("ike")).containsSame(cached);
    assertThat(asked).isEmpty();
  }

  @Test
  void anObjectTheCacheHasNotSeenYetComesFromTheServer() {
    IkeGroup live = group("ike", false);
    var lookup = lookup(Map.of(), Map.of("ike", live));
    assertThat(lookup.find("ike")).containsSame(live);
    assertThat(asked).containsExactly("ike");
  }

  @Test
  void anObjectNeitherHasIsAbsentAndAskedOncePerLookup() {
    var lookup = lookup(Map.of(), Map.of());
    assertThat(lookup.find("ike")).isEmpty();
    assertThat(lookup.find("ike")).isEmpty();
    assertThat(asked).containsExactly("ike");
  }

  @Test
  void anObjectBeingDeletedOnTheServerIsAbsent() {
    var lookup = lookup(Map.of(), Map.of("ike", group("ike", true)));
    assertThat(lookup.find("ike")).isEmpty();
  }

  @Test
  void anObjectBeingDeletedInTheCacheIsAbsentWithoutAskingTheServer() {
    var lookup = lookup(Map.of("ike", group("ike", true)), Map.of("ike", group("ike", false)));
    assertThat(lookup.find("ike")).isEmpty();
    assertThat(asked).isEmpty();
  }
}
