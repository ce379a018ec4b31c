package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer's validation is reused while nothing it reads has changed, and computed again as soon as
 * its spec, a group, a Secret or its gateway's existence changes: a cached result must never hide a
 * broken reference.
 */
class PeerValidationCacheTest {

  private final PeerValidation validation = new PeerValidation(new ConfigVolumePlanner(900_000));
  private final Map<String, IkeGroup> ike = new HashMap<>();
  private final Map<String, EspGroup> esp = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();
  private final AtomicInteger secretLookups = new AtomicInteger();
  private final Optional<IpsecGlobal> gateway = Optional.of(versioned(TestResources.gateway("gw")));
  private IpsecPeer peer;

  @BeforeEach
  void resources() {
    ike.put("ike", versioned(TestResources.ikeGroup("ike", 14)));
    esp.put("esp", versioned(TestResources.espGroup("esp")));
    secrets.put("psk", versioned(TestResources.pskSecret("psk", "a-good-psk")));
    peer = versioned(TestResources.pskPeer("peer-1", "gw", "ike", "esp", "psk", 1));
    peer.getMetadata().setGeneration(1L);
  }

  @Test
  void aPeerReconciledAgainWithoutAChangeIsNotRenderedAgainButItsReferencesAreStillLookedUp() {
    PeerValidation.Result first = validation.validate(peer, gateway, lookups());
    PeerValidation.Result again = validation.validate(peer, gateway, lookups());

    assertThat(first.errors()).isEmpty();
    assertThat(again).isSameAs(first);
    // the lookups still run: a missing object is still noted and an unlabelled one labelled
    assertThat(secretLookups).hasValue(2);
  }

  @Test
  void aSecretEditedBehindAnUnchangedSpecIsCheckedAgain() {
    validation.validate(peer, gateway, lookups());
    Secret edited = TestResources.pskSecret("psk", "a-good-psk");
    edited.setData(Map.of("other", "eA=="));
    edited.getMetadata().setUid(secrets.get("psk").getMetadata().getUid());
    edited.getMetadata().setResourceVersion("2");
    secrets.put("psk", edited);

    PeerValidation.Result after = validation.validate(peer, gateway, lookups());

    assertThat(after.errors())
        .extracting(FieldError::path)
        .anyMatch(p -> p.contains("preSharedSecret"));
  }

  @Test
  void aMissingSecretThatAppearsMakesThePeerValid() {
    Secret psk = secrets.remove("psk");
    assertThat(validation.validate(peer, gateway, lookups()).errors()).isNotEmpty();

    secrets.put("psk", psk);

    assertThat(validation.validate(peer, gateway, lookups()).errors()).isEmpty();
  }

  @Test
  void aGroupEditAndANewGenerationAndTheGatewayAreInputs() {
    PeerValidation.Result valid = validation.validate(peer, gateway, lookups());

    IkeGroup broken = versioned(TestResources.ikeGroup("ike", 999));
    broken.getMetadata().setResourceVersion("2");
    ike.put("ike", broken);
    assertThat(validation.validate(peer, gateway, lookups()).errors()).isNotEmpty();

    ike.put("ike", versioned(TestResources.ikeGroup("ike", 14)));
    assertThat(validation.validate(peer, gateway, lookups()).errors()).isEmpty();

    IpsecPeer edited = TestResources.pskPeer("peer-1", "gw", "ike", "missing-esp", "psk", 1);
    edited.getMetadata().setUid(peer.getMetadata().getUid());
    edited.getMetadata().setGeneration(2L);
    assertThat(validation.validate(edited, gateway, lookups()).errors())
        .extracting(FieldError::path)
        .anyMatch(p -> p.contains("EspGroup") || p.contains("espGroup"));

    assertThat(validation.validate(peer, Optional.empty(), lookups()).errors())
        .extracting(FieldError::path)
        .contains("spec.gateway");
    assertThat(validation.validate(peer, gateway, lookups())).isNotSameAs(valid);
  }

  @Test
  void aPeerNotReadFromTheServerIsNeverCached() {
    IpsecPeer unsaved = TestResources.pskPeer("peer-2", "gw", "ike", "esp", "psk", 2);

    PeerValidation.Result first = validation.validate(unsaved, gateway, lookups());

    assertThat(validation.validate(unsaved, gateway, lookups())).isNotSameAs(first);
    assertThat(validation.cached()).isZero();
  }

  @Test
  void peersThatAreGoneAreForgottenOnceTheCacheHasDoubled() {
    ValidationCache<String, String> cache = new ValidationCache<>();
    for (int i = 0; i < ValidationCache.PRUNE_FLOOR; i++) {
      cache.get("vpn/peer-" + i, "v1", () -> "result");
    }

    cache.prune(key -> Integer.parseInt(key.substring("vpn/peer-".length())) % 2 == 0);

    assertThat(cache.size()).isEqualTo(ValidationCache.PRUNE_FLOOR / 2);
    // below the next threshold nothing is looked at again
    cache.prune(key -> false);
    assertThat(cache.size()).isEqualTo(ValidationCache.PRUNE_FLOOR / 2);
  }

  private GatewayInputAssembler lookups() {
    return new GatewayInputAssembler(
        n -> Optional.ofNullable(ike.get(n)),
        n -> Optional.ofNullable(esp.get(n)),
        n -> {
          secretLookups.incrementAndGet();
          return Optional.ofNullable(secrets.get(n));
        },
        n -> Optional.<ConfigMap>empty());
  }

  private static int uids;

  /** As read from the API server: with a uid and a resourceVersion. */
  private static <T extends HasMetadata> T versioned(T resource) {
    resource.getMetadata().setUid("uid-" + ++uids);
    resource.getMetadata().setResourceVersion("1");
    return resource;
  }
}
