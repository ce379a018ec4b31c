package dev.ipsec.operator.reconcile.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The fields the API server (or a built-in controller) fills in on an object the operator wrote
 * without them, per kind: the only fields a live owned object may carry beyond the desired one
 * without that counting as drift (in the manner of Strimzi's {@code ResourceDiff}).
 *
 * <p>A rule applies only where the desired object leaves the field out: a field the operator sets
 * is always compared. Most rules also accept only the server's default value, so that a field the
 * server would default cannot be set to something else unnoticed; the rules marked "any value" hold
 * what the server allocates (cluster IPs, node ports) or what does not change what the pod runs
 * (the rollout strategy, {@code kubectl rollout restart}'s annotation).
 *
 * <p>Paths name array elements {@code [*]}. Everything else a live object adds, an extra container,
 * a {@code privileged: true}, an extra volume, a label on the pod template, is drift.
 */
final class ServerDefaults {

  /**
   * One field the server may add.
   *
   * @param path dotted path from the object's root, {@code [*]} for any array element
   * @param accepts whether a live value (given the live object holding it) is what the server puts
   *     there
   */
  record Rule(String path, BiPredicate<JsonNode, JsonNode> accepts) {}

  private static final String POD = "spec.template.spec.";
  private static final String CONTAINER = POD + "containers[*].";

  /** Deployment: apps/v1 and core/v1 defaulting of the Deployment and its pod template. */
  static final ServerDefaults DEPLOYMENT =
      new ServerDefaults(
          with(
              List.of(
                  // how pods are replaced, not what they run
                  new Rule("spec.strategy", any()),
                  new Rule("spec.revisionHistoryLimit", is(10)),
                  new Rule("spec.progressDeadlineSeconds", is(600)),
                  // kubectl rollout restart: restarts the pods, changes nothing they run
                  new Rule(
                      "spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt",
                      any()),
                  new Rule(POD + "dnsPolicy", is("ClusterFirst")),
                  new Rule(POD + "restartPolicy", is("Always")),
                  new Rule(POD + "schedulerName", is("default-scheduler")),
                  new Rule(POD + "terminationGracePeriodSeconds", is(30)),
                  new Rule(POD + "enableServiceLinks", is(true)),
                  // the deprecated alias the server copies from serviceAccountName
                  new Rule(POD + "serviceAccount", sameAs("serviceAccountName")),
                  new Rule(CONTAINER + "terminationMessagePath", is("/dev/termination-log")),
                  new Rule(CONTAINER + "terminationMessagePolicy", is("File")),
                  // Always for an image tagged :latest (or untagged), IfNotPresent otherwise
                  new Rule(CONTAINER + "imagePullPolicy", oneOf("IfNotPresent", "Always")),
                  new Rule(CONTAINER + "ports[*].protocol", is("TCP")),
                  // with hostNetwork the server sets each hostPort to its containerPort (accepted
                  // without hostNetwork as well: the rule sees the port, not the pod; such a port
                  // opens the IKE ports on the node, as the gateway's own hostNetwork would)
                  new Rule(CONTAINER + "ports[*].hostPort", sameAs("containerPort")),
                  new Rule(POD + "volumes[*].configMap.defaultMode", is(420)),
                  new Rule(POD + "volumes[*].secret.defaultMode", is(420)),
                  new Rule(POD + "volumes[*].projected.defaultMode", is(420)),
                  new Rule(POD + "volumes[*].hostPath.type", is(""))),
              probeDefaults()));

  /** Service: core/v1 defaulting and what the service IP and node port allocators fill in. */
  static final ServerDefaults SERVICE =
      new ServerDefaults(
          List.of(
              new Rule("spec.clusterIP", any()),
              new Rule("spec.clusterIPs", any()),
              new Rule("spec.ipFamilies", any()),
              new Rule("spec.ipFamilyPolicy", any()),
              new Rule("spec.healthCheckNodePort", any()),
              new Rule("spec.ports[*].nodePort", any()),
              new Rule("spec.sessionAffinity", is("None")),
              new Rule("spec.internalTrafficPolicy", is("Cluster")),
              new Rule("spec.externalTrafficPolicy", is("Cluster")),
              new Rule("spec.allocateLoadBalancerNodePorts", is(true)),
              new Rule("spec.ports[*].protocol", is("TCP")),
              new Rule("spec.ports[*].targetPort", sameAs("port"))));

  /**
   * ServiceAccount: the token controller of clusters before 1.24 lists token Secrets, and some
   * distributions (OpenShift) add pull secrets to every account; the gateway pod mounts no token.
   */
  static final ServerDefaults SERVICE_ACCOUNT =
      new ServerDefaults(List.of(new Rule("secrets", any()), new Rule("imagePullSecrets", any())));

  /** A kind whose every field is compared (ConfigMaps and Secrets, and any other). */
  static final ServerDefaults NONE = new ServerDefaults(List.of());

  private static final Map<String, ServerDefaults> BY_KIND =
      Map.of("Deployment", DEPLOYMENT, "Service", SERVICE, "ServiceAccount", SERVICE_ACCOUNT);

  private final Map<String, Rule> rules;

  private ServerDefaults(List<Rule> rules) {
    this.rules = rules.stream().collect(Collectors.toUnmodifiableMap(Rule::path, r -> r));
  }

  static ServerDefaults of(String kind) {
    return BY_KIND.getOrDefault(kind, NONE);
  }

  /**
   * True if the server puts {@code value} at {@code path} (a path with {@code [*]}) of an object
   * whose desired form leaves it out; {@code holder} is the live object that holds the field.
   */
  boolean accepts(String path, JsonNode value, JsonNode holder) {
    Rule rule = rules.get(path);
    return rule != null && rule.accepts().test(value, holder);
  }

  Set<String> paths() {
    return rules.keySet();
  }

  /** Probe defaults: timeout 1 s, period 10 s, success 1, failure 3, HTTP scheme. */
  private static List<Rule> probeDefaults() {
    List<Rule> rules = new ArrayList<>();
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      String at = CONTAINER + probe + ".";
      rules.add(new Rule(at + "timeoutSeconds", is(1)));
      rules.add(new Rule(at + "periodSeconds", is(10)));
      rules.add(new Rule(at + "successThreshold", is(1)));
      rules.add(new Rule(at + "failureThreshold", is(3)));
      rules.add(new Rule(at + "httpGet.scheme", is("HTTP")));
    }
    return rules;
  }

  private static List<Rule> with(List<Rule> a, List<Rule> b) {
    List<Rule> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static BiPredicate<JsonNode, JsonNode> any() {
    return (value, holder) -> true;
  }

  private static BiPredicate<JsonNode, JsonNode> is(Object expected) {
    if (expected instanceof Integer i) {
      return (value, holder) -> value.isIntegralNumber() && value.asLong() == i;
    }
    if (expected instanceof Boolean b) {
      return (value, holder) -> value.isBoolean() && value.booleanValue() == b;
    }
    return (value, holder) -> value.isTextual() && value.textValue().equals(expected);
  }

  private static BiPredicate<JsonNode, JsonNode> oneOf(String... values) {
    Set<String> allowed = Set.of(values);
    return (value, holder) -> value.isTextual() && allowed.contains(value.textValue());
  }

  /** The value equals that of another field of the same object (a target port its port). */
  private static BiPredicate<JsonNode, JsonNode> sameAs(String sibling) {
    return (value, holder) ->
        holder.has(sibling) && ObjectDiff.sameValue(holder.get(sibling), value);
  }
}
