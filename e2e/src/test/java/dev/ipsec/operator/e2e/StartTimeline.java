package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.kubelet.HostCommands;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each step of a new gateway's start happened, after the create: what the operator wrote, what
 * the kubelet stand-in did, what the agent logged, what charon holds and what the status says. The
 * API server and charon are sampled ({@link #sample()}, every few tens of milliseconds, so those
 * steps are late by up to one sampling interval); the pod's start and readiness come from the
 * kubelet stand-in's own timestamps, the agent's steps from its log (millisecond timestamps): its
 * first line (the JVM and its logging are up), charon reachable, the first load applied, the state
 * API listening; the operator's first answer from each agent from the operator's log (it runs in
 * this JVM).
 */
final class StartTimeline {

  static final String DEPLOYMENT = "Deployment written by the operator";
  static final String POD_STARTED = "pod started by the kubelet stand-in";
  static final String CHARON_ANSWERS = "charon: VICI socket answers";
  static final String AGENT_FIRST_LOG = "agent: starting (JVM, command line, logging up)";
  static final String AGENT_UP = "agent: JVM up, charon reachable (log)";
  static final String FIRST_LOAD = "agent: first load applied (log)";
  static final String CONNECTION_LOADED = "charon: connection loaded";
  static final String STATE_API = "agent: state API listening (log)";
  static final String OPERATOR_ANSWERED = "operator: first answer of the agent (log)";
  static final String POD_READY = "pod Ready (agent /readyz)";
  static final String INITIATOR_RETRIES = "agent: initiator retries (keeper)";
  static final String IKE_SA_UP = "charon: IKE SA established";
  static final String PEER_READY = "status: peer Ready";

  /** The steps of one gateway, in the order they usually happen. */
  static final List<String> STEPS =
      List.of(
          DEPLOYMENT,
          POD_STARTED,
          CHARON_ANSWERS,
          AGENT_FIRST_LOG,
          AGENT_UP,
          FIRST_LOAD,
          CONNECTION_LOADED,
          STATE_API,
          OPERATOR_ANSWERED,
          POD_READY,
          INITIATOR_RETRIES,
          IKE_SA_UP,
          PEER_READY);

  /**
   * The jar's log layout ({@code %d{ISO8601}}) and the one of the tests' log4j2-test.xml, which is
   * on the class path the agents get here ({@code %d{HH:mm:ss.SSS}}, the date is the create's).
   */
  private static final Pattern LOG_DATE_TIME =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3}) ");

  private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
  private static final DateTimeFormatter LOG_DATE_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

  private final E2eCluster cluster;
  private final Instant created;

  /** Gateway -> peer on it (one each here). */
  private final Map<String, String> peers;

  private final Map<String, Map<String, Instant>> seen = new ConcurrentHashMap<>();

  /** Gateway -> when its agent's initiator retries came (from its log). */
  private final Map<String, List<Instant>> retryTimes = new ConcurrentHashMap<>();

  StartTimeline(E2eCluster cluster, Instant created, Map<String, String> peers) {
    this.cluster = cluster;
    this.created = created;
    this.peers = Map.copyOf(peers);
    peers.keySet().forEach(g -> seen.put(g, new ConcurrentHashMap<>()));
  }

  /** Looks at the API server and each charon once, recording what is there for the first time. */
  void sample() {
    Instant now = Instant.now();
    for (String gateway : peers.keySet()) {
      Map<String, Instant> steps = seen.get(gateway);
      if (!steps.containsKey(DEPLOYMENT)
          && cluster
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace(cluster.namespace())
                  .withName(gateway + "-gateway")
                  .get()
              != null) {
        steps.put(DEPLOYMENT, now);
      }
      pod(gateway).ifPresent(pod -> fromPod(pod, steps));
      if (steps.containsKey(POD_STARTED)) {
        fromCharon(gateway, steps, now);
      }
      IpsecPeer peer = cluster.peer(peers.get(gateway));
      if (peer != null && PeerTable.isUp(peer)) {
        steps.putIfAbsent(PEER_READY, now);
      }
    }
  }

  /** Whether every peer was seen Ready. */
  boolean allReady() {
    return seen.values().stream().allMatch(s -> s.containsKey(PEER_READY));
  }

  /** When the last peer was seen Ready. */
  Duration allReadyAfter() {
    return seen.values().stream()
        .map(s -> Duration.between(created, s.get(PEER_READY)))
        .max(Duration::compareTo)
        .orElseThrow();
  }

  /** Reads the agents' and the operator's logs for their steps; call once, after all are Ready. */
  void readAgentLogs() {
    List<CapturedLog.Line> operatorLog = cluster.operatorLog();
    for (String gateway : peers.keySet()) {
      Map<String, Instant> steps = seen.get(gateway);
      String answered = "gateway " + cluster.namespace() + "/" + gateway + ": agent of pod ";
      operatorLog.stream()
          .filter(l -> l.text().contains(answered) && l.text().endsWith(" answered"))
          .map(CapturedLog.Line::at)
          .filter(at -> !at.isBefore(created))
          .findFirst()
          .ifPresent(at -> steps.putIfAbsent(OPERATOR_ANSWERED, at));
      List<Instant> retries = new ArrayList<>();
      for (String line : cluster.containerLog(gateway, "agent").split("\n")) {
        Optional<Instant> at = logTime(line);
        if (at.isEmpty()) {
          continue;
        }
        steps.putIfAbsent(AGENT_FIRST_LOG, at.get());
        if (line.contains("reachable over VICI")) {
          steps.putIfAbsent(AGENT_UP, at.get());
        }
        if (line.contains("agent state API listening")) {
          steps.putIfAbsent(STATE_API, at.get());
        }
        if (line.contains("applied config revision")) {
          steps.putIfAbsent(FIRST_LOAD, at.get());
        }
        if (line.contains("initiating again")) {
          retries.add(at.get());
        }
      }
      if (!retries.isEmpty()) {
        steps.put(INITIATOR_RETRIES, retries.get(0));
        retryTimes.put(gateway, retries);
      }
    }
  }

  /**
   * CPU time (user and system) each gateway's containers have used so far, agent and charon, in
   * milliseconds: the work of a start, which a loaded machine stretches in time but not in CPU.
   */
  Map<String, Map<String, Long>> containerCpuMillis() {
    Map<String, Map<String, Long>> cpu = new LinkedHashMap<>();
    for (String gateway : peers.keySet().stream().sorted().toList()) {
      Map<String, Long> containers = new LinkedHashMap<>();
      String pids =
          HostCommands.run(List.of("ip", "netns", "pids", cluster.networkNamespace(gateway)));
      for (String pid : pids.split("\\s+")) {
        if (pid.isBlank()) {
          continue;
        }
        try {
          Path proc = Path.of("/proc", pid);
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          String container =
              cmdline.contains("dev.ipsec.operator.cli.Main agent")
                  ? "agent"
                  : cmdline.contains("charon") ? "charon" : null;
          if (container != null) {
            containers.merge(
                container, cpuMillis(Files.readString(proc.resolve("stat"))), Long::sum);
          }
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
      cpu.put(gateway, containers);
    }
    return cpu;
  }

  /** utime + stime of a /proc/PID/stat line, in milliseconds (USER_HZ is 100 on Linux). */
  private static long cpuMillis(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  /** One line per gateway and step, in milliseconds after the create, and the gaps between. */
  String breakdown() {
    StringBuilder out = new StringBuilder();
    for (String gateway : peers.keySet().stream().sorted().toList()) {
      out.append(String.format("  %s (peer %s):%n", gateway, peers.get(gateway)));
      Map<String, Instant> steps = seen.get(gateway);
      Instant previous = created;
      for (String step : STEPS) {
        Instant at = steps.get(step);
        if (at == null) {
          out.append(String.format("    %-40s        -%n", step));
          continue;
        }
        String extra = "";
        if (step.equals(INITIATOR_RETRIES)) {
          extra =
              " (at "
                  + retryTimes.getOrDefault(gateway, List.of()).stream()
                      .map(t -> millis(created, t) + " ms")
                      .toList()
                  + ")";
        }
        out.append(
            String.format(
                "    %-40s %6d ms  (+%d ms)%s%n",
                step, millis(created, at), millis(previous, at), extra));
        previous = at.isAfter(previous) ? at : previous;
      }
    }
    return out.toString();
  }

  /**
   * Per gateway, from its agent's state API listening to the operator's first answer from it: the
   * first mutual-TLS exchange and the poll's wait before it (issue 17, start4).
   */
  List<Long> firstExchangeMillis() {
    return seen.values().stream()
        .filter(s -> s.containsKey(STATE_API) && s.containsKey(OPERATOR_ANSWERED))
        .map(s -> millis(s.get(STATE_API), s.get(OPERATOR_ANSWERED)))
        .toList();
  }

  /** Step -> milliseconds after the create, the latest over the gateways. */
  Map<String, Long> latestPerStep() {
    Map<String, Long> latest = new LinkedHashMap<>();
    for (String step : STEPS) {
      seen.values().stream()
          .map(s -> s.get(step))
          .filter(Objects::nonNull)
          .map(t -> millis(created, t))
          .max(Long::compare)
          .ifPresent(ms -> latest.put(step, ms));
    }
    return latest;
  }

  private Optional<Pod> pod(String gateway) {
    return cluster
        .client()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel(Labels.GATEWAY, gateway)
        .list()
        .getItems()
        .stream()
        .findFirst();
  }

  private static void fromPod(Pod pod, Map<String, Instant> steps) {
    if (pod.getStatus() == null) {
      return;
    }
    if (pod.getStatus().getStartTime() != null) {
      steps.putIfAbsent(POD_STARTED, Instant.parse(pod.getStatus().getStartTime()));
    }
    if (pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())
            && "True".equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          steps.putIfAbsent(POD_READY, Instant.parse(c.getLastTransitionTime()));
        }
      }
    }
  }

  private void fromCharon(String gateway, Map<String, Instant> steps, Instant now) {
    if (steps.containsKey(IKE_SA_UP)) {
      return;
    }
    Path socket;
    try {
      socket = cluster.viciSocket(gateway);
    } catch (RuntimeException e) {
      return; // the pod is not listed yet
    }
    if (!Files.exists(socket)) {
      return;
    }
    try (ViciClient vici = new ViciClient(socket, Duration.ofSeconds(2))) {
      if (!steps.containsKey(CHARON_ANSWERS)) {
        vici.call("version", ViciMessage.empty());
        steps.put(CHARON_ANSWERS, now);
      }
      if (!steps.containsKey(CONNECTION_LOADED)
          && !vici.call("get-conns", ViciMessage.empty()).list("conns").isEmpty()) {
        steps.put(CONNECTION_LOADED, now);
      }
      boolean established =
          vici.stream("list-sas", "list-sa", ViciMessage.empty().put("noblock", "yes")).stream()
              .flatMap(e -> e.sections().values().stream())
              .anyMatch(ike -> "ESTABLISHED".equals(ike.string("state", "")));
      if (established) {
        steps.put(IKE_SA_UP, now);
      }
    } catch (ViciException e) {
      // charon is not answering yet
    }
  }

  private Optional<Instant> logTime(String line) {
    ZoneId zone = ZoneId.systemDefault();
    Matcher dateTime = LOG_DATE_TIME.matcher(line);
    if (dateTime.find()) {
      return Optional.of(
          LocalDateTime.parse(dateTime.group(1), LOG_DATE_TIME_FORMAT).atZone(zone).toInstant());
    }
    Matcher time = LOG_TIME.matcher(line);
    if (time.find()) {
      return Optional.of(
          LocalTime.parse(time.group(1))
              .atDate(LocalDate.ofInstant(created, zone))
              .atZone(zone)
              .toInstant());
    }
    return Optional.empty();
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
