package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.GatewayWorkload;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.render.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a gateway pod may ask for, decided by whoever installs the operator (chart values, {@code
 * run} flags), not by whoever writes an IpsecGlobal. A gateway pod runs as root with NET_ADMIN; an
 * IpsecGlobal that could choose any image, the node's network or any node would hand that to
 * everyone who may create one, without the right to create pods.
 *
 * <p>Images are allowed by exact reference (the operator's own defaults always are) or when they
 * lie under an allowed prefix, which must end in {@code /} so that {@code registry/team/} never
 * admits {@code registry/team-evil/...}. The host network, user-space ESP (the node's {@code
 * /dev/net/tun}) and tolerations each have a switch with the namespaces it applies in. A node
 * selector, an affinity and topology spread constraints have none: they only narrow the nodes a pod
 * may land on. A PriorityClass must be in an allowed list (the operator's default one always is): a
 * high one lets a gateway preempt other workloads. Image pull Secrets need no switch: they name
 * Secrets in the gateway's own namespace, and only authenticate pulls of images this policy already
 * allows.
 *
 * @param gatewayImages charon images allowed besides the operator's default
 * @param agentImages agent images allowed besides the operator's default
 * @param imagePrefixes prefixes under which any image is allowed for both containers
 * @param hostNetwork where {@code spec.gateway.hostNetwork: true} is allowed
 * @param userSpaceEsp where {@code spec.gateway.userSpaceEsp: true} is allowed
 * @param tolerations where {@code spec.gateway.tolerations} may be set
 * @param priorityClasses PriorityClasses {@code spec.gateway.priorityClassName} may name besides
 *     the operator's default
 */
public record GatewayPolicy(
    Set<String> gatewayImages,
    Set<String> agentImages,
    Set<String> imagePrefixes,
    Switch hostNetwork,
    Switch userSpaceEsp,
    Switch tolerations,
    Set<String> priorityClasses) {

  /** The reason of a condition and Event for a spec the policy refuses. */
  public static final String POLICY_DENIED = "PolicyDenied";

  /** The part of an image reference after an allowed prefix: path, tag and digest, nothing else. */
  private static final Pattern REFERENCE_TAIL =
      Pattern.compile(
          "[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*"
              + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");

  /** How much of a refused value a message quotes. */
  private static final int QUOTED_CHARS = 120;

  /** A policy that allows no PriorityClass besides the operator's default. */
  public GatewayPolicy(
      Set<String> gatewayImages,
      Set<String> agentImages,
      Set<String> imagePrefixes,
      Switch hostNetwork,
      Switch userSpaceEsp,
      Switch tolerations) {
    this(
        gatewayImages,
        agentImages,
        imagePrefixes,
        hostNetwork,
        userSpaceEsp,
        tolerations,
        Set.of());
  }

  public GatewayPolicy {
    priorityClasses = Set.copyOf(priorityClasses);
    gatewayImages = Set.copyOf(gatewayImages);
    agentImages = Set.copyOf(agentImages);
    imagePrefixes = Set.copyOf(imagePrefixes);
    for (String prefix : imagePrefixes) {
      if (!prefix.endsWith("/") || prefix.length() < 2 || prefix.contains("..")) {
        throw new IllegalArgumentException(
            "an allowed image prefix must be a registry or repository path ending in '/', not \""
                + prefix
                + "\"");
      }
    }
    Objects.requireNonNull(hostNetwork, "hostNetwork");
    Objects.requireNonNull(userSpaceEsp, "userSpaceEsp");
    Objects.requireNonNull(tolerations, "tolerations");
  }

  /**
   * The chart's defaults: only the operator's own images, no host network, no tolerations, and
   * user-space ESP everywhere (the examples need it on nodes without kernel ESP; the TUN device
   * lives in the pod's own network namespace and gives nothing NET_ADMIN does not give there).
   */
  public static GatewayPolicy defaults() {
    return new GatewayPolicy(
        Set.of(), Set.of(), Set.of(), Switch.OFF, Switch.EVERYWHERE, Switch.OFF);
  }

  /**
   * Everything allowed: for tests and local clusters that are about something else. PriorityClasses
   * are the exception (a list cannot say "any"): only the operator's default one.
   */
  public static GatewayPolicy permissive(Set<String> prefixes) {
    return new GatewayPolicy(
        Set.of(), Set.of(), prefixes, Switch.EVERYWHERE, Switch.EVERYWHERE, Switch.EVERYWHERE);
  }

  public GatewayPolicy withHostNetwork(Switch s) {
    return new GatewayPolicy(
        gatewayImages, agentImages, imagePrefixes, s, userSpaceEsp, tolerations, priorityClasses);
  }

  public GatewayPolicy withUserSpaceEsp(Switch s) {
    return new GatewayPolicy(
        gatewayImages, agentImages, imagePrefixes, hostNetwork, s, tolerations, priorityClasses);
  }

  public GatewayPolicy withTolerations(Switch s) {
    return new GatewayPolicy(
        gatewayImages, agentImages, imagePrefixes, hostNetwork, userSpaceEsp, s, priorityClasses);
  }

  public GatewayPolicy withPriorityClasses(Set<String> classes) {
    return new GatewayPolicy(
        gatewayImages, agentImages, imagePrefixes, hostNetwork, userSpaceEsp, tolerations, classes);
  }

  /**
   * Every field of the gateway's spec that asks for more than this policy allows, each with reason
   * {@link #POLICY_DENIED}; empty when the gateway may run as it asks.
   */
  public List<FieldError> check(IpsecGlobal gateway, GatewayDefaults defaults) {
    GatewayWorkload w = GatewayDeployment.workload(gateway);
    String ns = gateway.getMetadata().getNamespace();
    List<FieldError> denied = new ArrayList<>();
    checkImage(
        denied,
        "spec.gateway.image",
        "gateway",
        w.getImage(),
        defaults.charonImage(),
        gatewayImages);
    checkImage(
        denied,
        "spec.gateway.agentImage",
        "agent",
        w.getAgentImage(),
        defaults.agentImage(),
        agentImages);
    if (Boolean.TRUE.equals(w.getHostNetwork()) && !hostNetwork.allows(ns)) {
      denied.add(deny("spec.gateway.hostNetwork", "the host network" + notAllowedIn(ns)));
    }
    if (Boolean.TRUE.equals(w.getUserSpaceEsp()) && !userSpaceEsp.allows(ns)) {
      denied.add(
          deny(
              "spec.gateway.userSpaceEsp",
              "user-space ESP (the node's /dev/net/tun)" + notAllowedIn(ns)));
    }
    if (w.getTolerations() != null && !w.getTolerations().isEmpty() && !tolerations.allows(ns)) {
      denied.add(deny("spec.gateway.tolerations", "tolerations" + notAllowedIn(ns)));
    }
    checkPriorityClass(denied, w.getPriorityClassName(), defaults.pod().priorityClassName());
    return List.copyOf(denied);
  }

  /**
   * Refuses an image the spec asks for ({@code image}, null when it keeps the operator's default)
   * unless it is the default, one of {@code exact} or under an allowed prefix.
   */
  private void checkImage(
      List<FieldError> denied,
      String path,
      String role,
      String image,
      String operatorDefault,
      Set<String> exact) {
    if (image != null && !allowed(image, operatorDefault, exact)) {
      denied.add(
          deny(
              path,
              quote(image)
                  + " is not an allowed "
                  + role
                  + " image (allowed: "
                  + allowedImages(operatorDefault, exact)
                  + ")"));
    }
  }

  /**
   * Refuses a PriorityClass the spec names ({@code name}, null or empty when it keeps the
   * operator's default) unless it is the default or an allowed one.
   */
  private void checkPriorityClass(List<FieldError> denied, String name, String operatorDefault) {
    if (name == null
        || name.isEmpty()
        || name.equals(operatorDefault)
        || priorityClasses.contains(name)) {
      return;
    }
    TreeSet<String> allowed = new TreeSet<>(priorityClasses);
    if (operatorDefault != null) {
      allowed.add(operatorDefault);
    }
    denied.add(
        deny(
            "spec.gateway.priorityClassName",
            quote(name)
                + " is not an allowed PriorityClass (allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                + ")"));
  }

  private boolean allowed(String image, String operatorDefault, Set<String> exact) {
    if (image.equals(operatorDefault) || exact.contains(image)) {
      return true;
    }
    return imagePrefixes.stream()
        .anyMatch(
            p ->
                image.startsWith(p)
                    && REFERENCE_TAIL.matcher(image.substring(p.length())).matches());
  }

  private String allowedImages(String operatorDefault, Set<String> exact) {
    TreeSet<String> images = new TreeSet<>(exact);
    images.add(operatorDefault);
    String list = String.join(", ", images);
    return imagePrefixes.isEmpty()
        ? list
        : list + " and images under " + String.join(", ", new TreeSet<>(imagePrefixes));
  }

  private static String notAllowedIn(String ns) {
    return " is not allowed in namespace " + ns + " by the operator's gateway policy";
  }

  private static FieldError deny(String path, String message) {
    return new FieldError(path, message, POLICY_DENIED);
  }

  /** A value from the spec in quotes, cut short and without control characters. */
  static String quote(String value) {
    StringBuilder b = new StringBuilder("\"");
    value
        .codePoints()
        .limit(QUOTED_CHARS)
        .forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == '"' ? '?' : c));
    if (value.codePointCount(0, value.length()) > QUOTED_CHARS) {
      b.append("...");
    }
    return b.append('"').toString();
  }

  /** A name from the spec without its quotes: cut short, without control characters. */
  static String quoteless(String value) {
    String q = quote(value);
    return q.substring(1, q.length() - 1);
  }

  /**
   * Whether something is allowed, and where.
   *
   * @param allowed off: nowhere
   * @param namespaces where, when allowed; empty: every namespace
   */
  public record Switch(boolean allowed, Set<String> namespaces) {

    public static final Switch OFF = new Switch(false, Set.of());
    public static final Switch EVERYWHERE = new Switch(true, Set.of());

    public Switch {
      namespaces = Set.copyOf(namespaces);
    }

    public boolean allows(String namespace) {
      return allowed && (namespaces.isEmpty() || namespaces.contains(namespace));
    }
  }
}
