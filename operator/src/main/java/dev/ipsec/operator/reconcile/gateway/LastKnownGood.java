package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedFrom;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.settings.SettingsException;
import dev.ipsec.operator.settings.SettingsParser;
import dev.ipsec.operator.settings.SettingsSection;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import dev.ipsec.operator.volume.PeerRendering;
import dev.ipsec.operator.volume.PreviousRenderings;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps each peer's last valid configuration running, as VyOS keeps its running configuration when
 * a commit fails: a peer whose spec no longer renders (invalid, a missing group, Secret or key, a
 * certificate that does not parse or match its key), or whose new files do not fit, keeps the files
 * its gateway's volume holds of it, byte for byte, so the agent changes nothing in charon for it.
 *
 * <p>The files come from the volume the operator wrote ({@link WrittenPeerFiles}), so they survive
 * a restart. Once a peer's files are kept, the bytes are also remembered here until it renders
 * again: an edit of the shard by someone else is then drift, written back like any other, instead
 * of becoming the configuration that is kept. Right after a restart the shards are taken as they
 * are.
 *
 * <p>One exception: a running configuration rendered from a Secret object that has since been
 * deleted is revoked, not kept ({@link #SECRET_DELETED}). Deleting a Secret is how a security team
 * withdraws a key; a typo in a spec, a key missing from a Secret or content that does not parse is
 * not, and keeps the previous key running.
 */
public final class LastKnownGood {

  /** The Valid reason of a peer whose running configuration was revoked with its Secret. */
  public static final String SECRET_DELETED = "SecretDeleted";

  private final Map<GatewayId, Map<String, PeerRendering>> kept = new ConcurrentHashMap<>();

  /**
   * The previous renderings the next plan of {@code gateway} may keep.
   *
   * @param written the gateway's volume as written, read only if some peer needs it
   * @param rendered the rendering of the gateway's peers now
   * @param secrets the Secrets that exist, by name
   */
  public Previous previous(
      GatewayId gateway,
      Supplier<WrittenPeerFiles> written,
      RenderedGateway rendered,
      Function<String, Optional<Secret>> secrets) {
    return new Previous(
        kept.getOrDefault(gateway, Map.of()), memoize(written), rendered.peerErrors(), secrets);
  }

  /** Remembers the files the written plan kept for its carried peers, and forgets all others. */
  public void planned(GatewayId gateway, ConfigVolumePlan plan, Previous previous) {
    Map<String, PeerRendering> carried = new HashMap<>();
    for (String peer : plan.carriedConnections()) {
      previous.of(peer).ifPresent(files -> carried.put(peer, files));
    }
    kept.put(gateway, Map.copyOf(carried));
  }

  public void forget(GatewayId gateway) {
    kept.remove(gateway);
  }

  /**
   * The connection that kept files define, for the peer's status: its CHILD SA names, read from its
   * {@code conf.d} file by the settings parser the agent uses.
   */
  public static RenderedGateway.RenderedConnection connection(String peer, PeerRendering files) {
    String conf = files.config().getOrDefault(WrittenPeerFiles.confFile(peer), "");
    try {
      SettingsSection tree =
          SettingsParser.parseString(conf, Path.of(WrittenPeerFiles.confFile(peer)));
      List<String> children =
          tree.section("connections")
              .flatMap(c -> c.section(peer))
              .flatMap(c -> c.section("children"))
              .map(c -> List.copyOf(c.sections().keySet()))
              .orElse(List.of());
      return new RenderedGateway.RenderedConnection(peer, children, List.of());
    } catch (SettingsException e) {
      // the operator wrote it, so it parses; should it not, the status shows no tunnels
      return new RenderedGateway.RenderedConnection(peer, List.of(), List.of());
    }
  }

  /** The previous renderings of one gateway's peers, for one plan. */
  public static final class Previous implements PreviousRenderings {

    private final Map<String, PeerRendering> kept;
    private final Supplier<WrittenPeerFiles> written;
    private final Function<String, Optional<Secret>> secrets;
    private final SortedMap<String, List<FieldError>> invalid;
    private final Map<String, Optional<PeerRendering>> looked = new HashMap<>();
    private final SortedMap<String, FieldError> revoked = new TreeMap<>();

    private Previous(
        Map<String, PeerRendering> kept,
        Supplier<WrittenPeerFiles> written,
        SortedMap<String, List<FieldError>> invalid,
        Function<String, Optional<Secret>> secrets) {
      this.kept = kept;
      this.written = written;
      this.invalid = invalid;
      this.secrets = secrets;
    }

    /** The peers that do not render now: each keeps what the volume holds of it, if anything. */
    @Override
    public Set<String> carried() {
      Set<String> carried = new TreeSet<>();
      for (String peer : invalid.keySet()) {
        if (of(peer).isPresent()) {
          carried.add(peer);
        }
      }
      return carried;
    }

    /** Kept bytes first, else the volume's; none when a Secret they came from was deleted. */
    @Override
    public Optional<PeerRendering> of(String peer) {
      return looked.computeIfAbsent(
          peer,
          p -> {
            Optional<PeerRendering> files =
                Optional.ofNullable(kept.get(p)).or(() -> written.get().of(p));
            Optional<FieldError> revocation = files.flatMap(f -> revocation(p, f));
            if (revocation.isPresent()) {
              if (invalid.containsKey(p)) {
                revoked.put(p, revocation.get());
              }
              return Optional.empty();
            }
            return files;
          });
    }

    /**
     * Peers that do not render and whose running configuration was dropped because a Secret it was
     * rendered from is gone; known once {@link #carried} was asked.
     */
    public SortedMap<String, FieldError> revoked() {
      return new TreeMap<>(revoked);
    }

    private Optional<FieldError> revocation(String peer, PeerRendering files) {
      RenderedFrom from = WrittenPeerFiles.renderedFrom(peer, files);
      for (Map.Entry<String, String> secret : from.secrets().entrySet()) {
        Optional<Secret> now = secrets.apply(secret.getKey());
        boolean same =
            now.isPresent()
                && (secret.getValue().isEmpty()
                    || secret.getValue().equals(now.get().getMetadata().getUid()));
        if (!same) {
          return Optional.of(
              new FieldError(
                  "spec.authentication",
                  "Secret \""
                      + secret.getKey()
                      + "\", which the running configuration"
                      + (from.generation() == null ? "" : " (generation " + from.generation() + ")")
                      + " was rendered from, was deleted"
                      + (now.isPresent() ? " (a new object has its name now)" : "")
                      + ": its connection is removed, as a deleted key is revoked",
                  SECRET_DELETED));
        }
      }
      return Optional.empty();
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
