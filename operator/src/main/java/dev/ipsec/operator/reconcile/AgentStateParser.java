package dev.ipsec.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.api.v1alpha1.Algorithms;
import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.render.CredentialNames;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.FailureStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the agent's {@code GET /v1/state} document into an {@link AgentReport}. The body is
 * {@code {"revision": N, "state": ...}} where the state is either the SA snapshot itself
 * ({@code connections}) or a document holding it under {@code sas} next to {@code loader} (the
 * loader status) and {@code charon} (version, reachability). Unknown fields are ignored, so the
 * agent may add to its document without breaking the operator. Times are truncated to seconds:
 * status shows no sub-second noise.
 */
public final class AgentStateParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentStateParser() {}

  public static AgentReport parse(String pod, byte[] body) throws IOException {
    return parse(pod, JSON.readTree(body));
  }

  public static AgentReport parse(String pod, JsonNode body) {
    long revision = body.path("revision").asLong(0);
    JsonNode state = body.has("state") ? body.get("state") : body;
    JsonNode sas = state.has("connections") ? state : state.path("sas");
    JsonNode loader = state.path("loader");
    JsonNode charon = state.path("charon");

    Map<String, String> loadErrorsByConnection = new TreeMap<>();
    for (JsonNode c : loader.path("connections")) {
      if (c.hasNonNull("error")) {
        loadErrorsByConnection.put(c.path("name").asText(), c.get("error").asText());
      }
    }
    List<String> loadErrors = new ArrayList<>();
    loadErrorsByConnection.forEach((name, error) -> loadErrors.add(name + ": " + error));
    loader.path("fileErrors").forEach(e -> loadErrors.add(e.asText()));
    // a refused key, certificate or secret belongs to the peer it was rendered for: without it the
    // peer would only ever show its IKE SA down
    Set<String> connectionNames = new HashSet<>();
    loader.path("connections").forEach(c -> connectionNames.add(c.path("name").asText()));
    Map<String, String> credentialErrors = new TreeMap<>();
    loader.path("secretErrors").fields().forEachRemaining(e -> credentialErrors.put("secret " + e.getKey(), e.getValue().asText()));
    loader.path("credentialErrors").fields().forEachRemaining(e -> credentialErrors.put(e.getKey(), e.getValue().asText()));
    credentialErrors.forEach((item, error) -> {
      String message = item + ": " + error;
      loadErrors.add(message);
      CredentialNames.ownerOf(item.replaceFirst("^secret ", ""), connectionNames)
          .ifPresent(conn -> loadErrorsByConnection.merge(conn, message, (a, b) -> a + "; " + b));
    });

    Map<String, AgentReport.Connection> connections = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = sas.path("connections").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      connections.put(e.getKey(), connection(e.getValue(), loadErrorsByConnection.get(e.getKey())));
    }
    loadErrorsByConnection.forEach((name, error) ->
        connections.putIfAbsent(name, new AgentReport.Connection(null, List.of(), null, null, null, error)));
    Map<String, Set<String>> algorithms = new TreeMap<>();
    charon.path("algorithms").fields().forEachRemaining(section -> {
      Set<String> names = new TreeSet<>();
      section.getValue().forEach(name -> names.add(name.asText()));
      algorithms.put(section.getKey(), names);
    });
    return new AgentReport(pod, true, null, revision,
        text(charon, "version", text(state, "strongswanVersion", null)), algorithms,
        text(loader, "configRevision", null),
        loader.has("connectionsLoaded") ? loader.get("connectionsLoaded").asInt() : null,
        loadErrors, connections);
  }

  static AgentReport.Connection connection(JsonNode c, String loadError) {
    IkeSaStatus ike = null;
    JsonNode i = c.path("ikeSa");
    if (i.isObject()) {
      ike = new IkeSaStatus();
      ike.setState(text(i, "state", null));
      ike.setVersion(i.has("version") ? i.get("version").asInt() : null);
      ike.setLocalHost(text(i, "localHost", null));
      ike.setLocalId(text(i, "localId", null));
      ike.setRemoteHost(text(i, "remoteHost", null));
      ike.setRemoteId(text(i, "remoteId", null));
      ike.setAlgorithms(ikeAlgorithms(text(i, "algorithms", null)));
      ike.setEstablishedAt(time(i, "establishedAt"));
      ike.setNextRekeyAt(time(i, "nextRekeyAt"));
      ike.setNextReauthAt(time(i, "nextReauthAt"));
    }
    List<ChildSaStatus> children = new ArrayList<>();
    c.path("children").fields().forEachRemaining(e -> {
      JsonNode ch = e.getValue();
      ChildSaStatus s = new ChildSaStatus();
      s.setName(e.getKey());
      s.setState(text(ch, "state", null));
      String mode = text(ch, "mode", null);
      s.setMode(mode == null ? null : mode.toLowerCase(Locale.ROOT));
      s.setEncapsulation(ch.has("encapsulation") ? ch.get("encapsulation").asBoolean() : null);
      s.setAlgorithms(childAlgorithms(text(ch, "algorithms", null)));
      s.setLocalTrafficSelectors(strings(ch.path("localTrafficSelectors")));
      s.setRemoteTrafficSelectors(strings(ch.path("remoteTrafficSelectors")));
      s.setInstalledAt(time(ch, "installedAt"));
      s.setNextRekeyAt(time(ch, "nextRekeyAt"));
      children.add(s);
    });
    DeadPeerDetectionStatus dpd = null;
    JsonNode d = c.path("deadPeerDetection");
    if (d.isObject()) {
      dpd = new DeadPeerDetectionStatus();
      dpd.setLastOutcome(camel(text(d, "lastOutcome", null)));
      dpd.setLastDetectedAt(time(d, "lastDetectedAt"));
      String action = text(d, "actionTaken", null);
      dpd.setActionTaken(action == null ? null : action.toLowerCase(Locale.ROOT));
      dpd.setCount(d.path("count").asLong(0));
    }
    RekeyStatus rekeys = null;
    JsonNode r = c.path("rekeys");
    if (r.isObject()) {
      rekeys = new RekeyStatus();
      rekeys.setIkeRekeys(r.path("ikeRekeys").asLong(0));
      rekeys.setChildRekeys(r.path("childRekeys").asLong(0));
      rekeys.setLastIkeRekeyAt(time(r, "lastIkeRekeyAt"));
      rekeys.setLastChildRekeyAt(time(r, "lastChildRekeyAt"));
    }
    FailureStatus failure = null;
    JsonNode f = c.path("lastFailure");
    if (f.isObject()) {
      failure = new FailureStatus();
      failure.setReason(camel(text(f, "reason", null)));
      failure.setMessage(text(f, "message", null));
      failure.setAt(time(f, "at"));
    }
    return new AgentReport.Connection(ike, children, dpd, rekeys, failure, loadError);
  }

  /** {@code AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519}: encryption/integrity/prf/dh. */
  static Algorithms ikeAlgorithms(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    Algorithms a = new Algorithms();
    for (String part : s.split("/")) {
      if (part.startsWith("PRF_")) {
        a.setPrf(part);
      } else if (part.startsWith("HMAC_") || part.startsWith("AES_XCBC") || part.startsWith("AES_CMAC")) {
        a.setIntegrity(part);
      } else if (part.startsWith("MODP_") || part.startsWith("CURVE_") || part.startsWith("ECP_")) {
        a.setDhGroup(part);
      } else if (a.getEncryption() == null) {
        a.setEncryption(part);
      }
    }
    return a;
  }

  static Algorithms childAlgorithms(String s) {
    return ikeAlgorithms(s);
  }

  /** {@code AUTHENTICATION_FAILED} to {@code AuthenticationFailed}, the condition-reason style. */
  static String camel(String constant) {
    if (constant == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
      if (!word.isEmpty()) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return sb.toString();
  }

  private static String time(JsonNode node, String field) {
    String t = text(node, field, null);
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return t;
    }
  }

  /** The strings of a JSON array, or null when there is none (the field stays out of status). */
  private static List<String> strings(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asText();
  }
}
