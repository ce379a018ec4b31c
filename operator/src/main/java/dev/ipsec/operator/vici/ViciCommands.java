package dev.ipsec.operator.vici;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The charon commands the operator uses, typed: a thin layer over {@link ViciClient#call} that
 * builds the request, checks {@code success} and raises {@link ViciCommandException} carrying
 * charon's {@code errmsg}. Names and semantics follow the VICI README; see {@code
 * docs/reference/strongswan-vici.md} for the measured behaviour.
 */
public final class ViciCommands {

  /**
   * How long an unfiltered {@code list-conns} or {@code list-sas} may take. Both stream one event
   * per connection or IKE SA, so no message grows with the peers, but the whole answer does: 10,000
   * connections took 2 to 12 s on 2 busy cores ({@code agent.ViciAnswerSizeBenchmark}), past a
   * command's default timeout.
   */
  public static final Duration WHOLE_STATE_TIMEOUT = Duration.ofSeconds(120);

  private final ViciClient client;

  public ViciCommands(ViciClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public ViciClient client() {
    return client;
  }

  // ------------------------------------------------------------------ daemon

  /** {@code version}: daemon name and version, e.g. charon 5.9.8. */
  public record VersionInfo(
      String daemon, String version, String sysname, String release, String machine) {}

  public VersionInfo version() {
    ViciMessage r = client.call("version", ViciMessage.empty());
    return new VersionInfo(
        r.string("daemon", ""),
        r.string("version", ""),
        r.string("sysname", ""),
        r.string("release", ""),
        r.string("machine", ""));
  }

  /**
   * {@code stats}, the parts the agent uses. {@code since} ({@code uptime.since}) is charon's start
   * time as it prints it ({@code Nov 26 23:05:37 2026}); use {@link #sameDaemonRunAs} to tell
   * whether two answers came from the same charon process.
   */
  public record DaemonStats(
      String since, String running, int ikeSas, int halfOpenIkeSas, List<String> plugins) {

    private static final DateTimeFormatter SINCE =
        DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.US);

    /** {@code since} parsed (charon's local time), if it has the expected form. */
    public Optional<LocalDateTime> startedAt() {
      try {
        return Optional.of(LocalDateTime.parse(since.trim().replaceAll("\\s+", " "), SINCE));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }

    /**
     * Whether both answers come from the same charon run. charon computes {@code since} as wall
     * clock minus monotonic uptime, so one run's value can move by a second between calls: start
     * times up to 2 s apart count as the same run.
     */
    public boolean sameDaemonRunAs(DaemonStats other) {
      Optional<LocalDateTime> mine = startedAt();
      Optional<LocalDateTime> theirs = other.startedAt();
      if (mine.isEmpty() || theirs.isEmpty()) {
        return since.equals(other.since());
      }
      return Math.abs(Duration.between(mine.get(), theirs.get()).toSeconds()) <= 2;
    }
  }

  public DaemonStats stats() {
    ViciMessage r = client.call("stats", ViciMessage.empty());
    ViciMessage uptime = r.section("uptime").orElse(ViciMessage.empty());
    ViciMessage ikesas = r.section("ikesas").orElse(ViciMessage.empty());
    return new DaemonStats(
        uptime.string("since", ""),
        uptime.string("running", ""),
        intValue(ikesas, "total"),
        intValue(ikesas, "half-open"),
        r.list("plugins"));
  }

  /**
   * {@code get-algorithms}: what charon's loaded plugins implement, by section ({@code encryption},
   * {@code aead}, {@code integrity}, {@code prf}, {@code dh}, ...), each a sorted set of charon's
   * names ({@code AES_CBC}, {@code HMAC_SHA2_256_128}, {@code ECP_256}). Key sizes are not listed:
   * {@code AES_CBC} stands for 128, 192 and 256.
   */
  public Map<String, SortedSet<String>> getAlgorithms() {
    ViciMessage r = client.call("get-algorithms", ViciMessage.empty());
    Map<String, SortedSet<String>> bySection = new TreeMap<>();
    r.sections()
        .forEach(
            (section, algorithms) ->
                bySection.put(section, new TreeSet<>(algorithms.entries().keySet())));
    return bySection;
  }

  // ------------------------------------------------------------------ connections

  /** {@code load-conn}: adds or updates connection {@code name} with its swanctl-style settings. */
  public void loadConn(String name, ViciMessage connection) {
    checked(
        "load-conn", client.call("load-conn", ViciMessage.empty().putSection(name, connection)));
  }

  /** {@code unload-conn}; fails with charon's errmsg if no such connection is loaded. */
  public void unloadConn(String name) {
    checked("unload-conn", client.call("unload-conn", ViciMessage.empty().put("name", name)));
  }

  /**
   * {@code get-conns}: the names of the connections loaded over VICI, in one message that charon
   * discards unsent past 512 KiB (about 5,100 names of 100 characters); {@link #listConns} streams
   * them one by one.
   */
  public List<String> getConns() {
    return client.call("get-conns", ViciMessage.empty()).list("conns");
  }

  /**
   * {@code list-conns}: one message per connection ({@code {<name> = {...}}}); {@code ike} filters.
   * Unfiltered it may take up to {@link #WHOLE_STATE_TIMEOUT}.
   */
  public List<ViciMessage> listConns(Optional<String> ike) {
    ViciMessage request = ViciMessage.empty();
    ike.ifPresent(name -> request.put("ike", name));
    return client.stream("list-conns", "list-conn", request, timeoutOf(ike));
  }

  /**
   * {@code list-sas}: one message per IKE SA ({@code {<conn> = {...}}}). With {@code noblock}
   * charon does not wait for SAs that are busy (what a poller wants); {@code ike} filters by
   * connection name. Unfiltered it may take up to {@link #WHOLE_STATE_TIMEOUT}.
   */
  public List<ViciMessage> listSas(boolean noblock, Optional<String> ike) {
    ViciMessage request = ViciMessage.empty();
    if (noblock) {
      request.put("noblock", "yes");
    }
    ike.ifPresent(name -> request.put("ike", name));
    return client.stream("list-sas", "list-sa", request, timeoutOf(ike));
  }

  /** A read of one connection is small; a read of all of them grows with the peers. */
  private Duration timeoutOf(Optional<String> ike) {
    return ike.isPresent() ? client.defaultTimeout() : WHOLE_STATE_TIMEOUT;
  }

  // ------------------------------------------------------------------ credentials

  /**
   * A shared secret for {@code load-shared}. {@code data} is the raw secret (as charon wants it:
   * the swanctl {@code 0x}/{@code 0s} encodings are decoded by the caller); it never appears in
   * {@link #toString()}.
   */
  public record SharedSecret(String id, String type, String data, List<String> owners) {
    public SharedSecret {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(data, "data");
      owners = List.copyOf(owners);
    }

    @Override
    public String toString() {
      return "SharedSecret[id="
          + id
          + ", type="
          + type
          + ", owners="
          + owners
          + ", data=<redacted>]";
    }
  }

  /** {@code load-shared}; a secret with the same id replaces the earlier one. */
  public void loadShared(SharedSecret secret) {
    ViciMessage request =
        ViciMessage.empty()
            .put("id", secret.id())
            .put("type", secret.type())
            .put("data", secret.data())
            .putList("owners", secret.owners());
    checked("load-shared", client.call("load-shared", request));
  }

  public void unloadShared(String id) {
    checked("unload-shared", client.call("unload-shared", ViciMessage.empty().put("id", id)));
  }

  /**
   * {@code get-shared}: the ids of the loaded shared secrets, in one message that charon discards
   * unsent past 512 KiB (about 4,900 ids of 104 characters).
   */
  public List<String> getShared() {
    return client.call("get-shared", ViciMessage.empty()).list("keys");
  }

  /**
   * {@code load-key}: a private key ({@code type} rsa, ecdsa, ed25519, ed448 or any) as PEM.
   *
   * @return the key id charon computed (hex SHA-1 of the public key)
   */
  public String loadKey(String type, String pem) {
    ViciMessage r =
        checked(
            "load-key",
            client.call("load-key", ViciMessage.empty().put("type", type).put("data", pem)));
    return r.string("id", "");
  }

  /**
   * {@code load-cert}: {@code type} X509 | X509_AC | X509_CRL, {@code flag} NONE | CA | AA | OCSP.
   */
  public void loadCert(String type, String flag, String pem) {
    checked(
        "load-cert",
        client.call(
            "load-cert", ViciMessage.empty().put("type", type).put("flag", flag).put("data", pem)));
  }

  /** {@code clear-creds}: drops every credential loaded over VICI; connections stay. */
  public void clearCreds() {
    checked("clear-creds", client.call("clear-creds", ViciMessage.empty()));
  }

  // ------------------------------------------------------------------ SAs

  /**
   * {@code initiate} of a child (and optionally its IKE config), waiting at most {@code timeout}
   * for charon to establish it (charon's own {@code timeout}; the call waits a little longer).
   * {@code Duration.ZERO} returns at once (charon's {@code -1}). A blocking initiate holds the
   * client's command connection for as long as it waits: give long waits a client of their own.
   */
  public void initiate(String child, Optional<String> ike, Duration timeout) {
    ViciMessage request = ViciMessage.empty().put("child", child);
    ike.ifPresent(name -> request.put("ike", name));
    request.put("timeout", timeout.isZero() ? "-1" : Long.toString(timeout.toMillis()));
    checked("initiate", client.call("initiate", request, timeout.plus(ViciClient.DEFAULT_TIMEOUT)));
  }

  /** What {@code terminate} reports. */
  public record TerminateResult(int matches, int terminated) {}

  /**
   * {@code terminate} by IKE connection name ({@code ike}) or child name; {@code force} deletes
   * without waiting for the peer. Waits at most {@code timeout}; zero returns at once.
   */
  public TerminateResult terminate(
      Optional<String> ike, Optional<String> child, boolean force, Duration timeout) {
    ViciMessage request = selecting("terminate", ike, child);
    if (force) {
      request.put("force", "yes");
    }
    request.put("timeout", timeout.isZero() ? "-1" : Long.toString(timeout.toMillis()));
    ViciMessage r =
        checked(
            "terminate",
            client.call("terminate", request, timeout.plus(ViciClient.DEFAULT_TIMEOUT)));
    return new TerminateResult(intValue(r, "matches"), intValue(r, "terminated"));
  }

  /**
   * {@code rekey} of the SAs of an IKE connection or a child; {@code reauth} reauthenticates the
   * IKE SA instead (IKEv2).
   *
   * @return how many SAs matched
   */
  public int rekey(Optional<String> ike, Optional<String> child, boolean reauth) {
    ViciMessage request = selecting("rekey", ike, child);
    if (reauth) {
      request.put("reauth", "yes");
    }
    return intValue(checked("rekey", client.call("rekey", request)), "matches");
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A request of {@code command} for the SAs of an IKE connection or a child, named by one at
   * least.
   */
  private static ViciMessage selecting(
      String command, Optional<String> ike, Optional<String> child) {
    if (ike.isEmpty() && child.isEmpty()) {
      throw new IllegalArgumentException(command + " needs an IKE or a child name");
    }
    ViciMessage request = ViciMessage.empty();
    ike.ifPresent(name -> request.put("ike", name));
    child.ifPresent(name -> request.put("child", name));
    return request;
  }

  private static ViciMessage checked(String command, ViciMessage response) {
    if (!"yes".equals(response.string("success", "no"))) {
      throw new ViciCommandException(command, response.string("errmsg", "no errmsg given"));
    }
    return response;
  }

  private static int intValue(ViciMessage m, String key) {
    try {
      return Integer.parseInt(m.string(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
