package dev.ipsec.operator.vici;

import static dev.ipsec.operator.testing.SiteToSite.Side.A;
import static dev.ipsec.operator.testing.SiteToSite.Side.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VICI client against two real charons in network namespaces: every typed command, streamed
 * commands, events on a separate connection, timeouts and reconnects across a charon kill/restart.
 */
@RequiresCharon
class ViciClientCharonTest {

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  static Path dir;

  static SiteToSite sites;
  static ViciClient clientA;
  static ViciClient clientB;
  static ViciCommands a;
  static ViciCommands b;

  @BeforeAll
  static void startCharons() {
    sites = SiteToSite.create("vc", dir).start();
    clientA = sites.a().newClient();
    clientB = sites.b().newClient();
    a = new ViciCommands(clientA);
    b = new ViciCommands(clientB);
  }

  @AfterAll
  static void stopCharons() {
    if (clientA != null) {
      clientA.close();
      clientB.close();
    }
    if (sites != null) {
      sites.close();
    }
  }

  @Test
  void versionAndStatsDescribeTheRunningDaemon() {
    ViciCommands.VersionInfo version = a.version();
    assertThat(version.daemon()).isEqualTo("charon");
    assertThat(version.version()).startsWith("5.");
    ViciCommands.DaemonStats stats = a.stats();
    assertThat(stats.since()).isNotBlank();
    assertThat(stats.plugins()).contains("vici", "kernel-libipsec");
  }

  @Test
  void unknownCommandIsAClearErrorAndTheConnectionStaysUsable() {
    assertThatThrownBy(() -> clientA.call("no-such-command", ViciMessage.empty()))
        .isInstanceOf(ViciCommandException.class)
        .hasMessageContaining("no-such-command")
        .hasMessageContaining("CMD_UNKNOWN");
    assertThatThrownBy(() -> clientA.stream("no-such-list", "list-sa", ViciMessage.empty()))
        .isInstanceOf(ViciCommandException.class)
        .hasMessageContaining("no-such-list");
    long generation = clientA.connectionGeneration();
    assertThat(a.version().daemon()).isEqualTo("charon");
    assertThat(a.listSas(false, Optional.of("nothing-by-this-name"))).isEmpty();
    assertThat(clientA.connectionGeneration()).isEqualTo(generation);
  }

  @Test
  void unknownEventStopsTheSubscriptionWithAClearError() throws Exception {
    try (ViciSubscription s = clientA.subscribe(List.of("no-such-event"), (e, m) -> {})) {
      await().atMost(Duration.ofSeconds(5)).until(() -> s.failure() != null);
      assertThat(s.failure())
          .hasMessageContaining("no-such-event")
          .hasMessageContaining("EVENT_UNKNOWN");
      assertThat(s.isConnected()).isFalse();
    }
  }

  @Test
  void pskTunnelLifecycleOverVici() {
    List<String> events = new CopyOnWriteArrayList<>();
    List<ViciMessage> childRekeys = new CopyOnWriteArrayList<>();
    try (ViciSubscription subscription =
        clientA.subscribe(
            List.of("ike-updown", "child-updown", "ike-rekey", "child-rekey"),
            (event, message) -> {
              events.add(event + (message.has("up") ? ":up" : ":down"));
              if (event.equals("child-rekey")) {
                childRekeys.add(message);
              }
            })) {
      await().atMost(Duration.ofSeconds(5)).until(subscription::isConnected);

      b.loadShared(SiteToSite.psk("ike-life", "life-secret-1"));
      b.loadConn("life", SiteToSite.pskConnection(B, "life-c", Map.of(), Map.of()));
      a.loadShared(SiteToSite.psk("ike-life", "life-secret-1"));
      a.loadConn("life", SiteToSite.pskConnection(A, "life-c", Map.of(), Map.of()));
      assertThat(a.getConns()).contains("life");
      assertThat(a.getShared()).contains("ike-life");

      List<ViciMessage> conns = a.listConns(Optional.of("life"));
      assertThat(conns).hasSize(1);
      ViciMessage conn = conns.get(0).section("life").orElseThrow();
      assertThat(conn.list("remote_addrs")).containsExactly(SiteToSite.ADDR_B);
      assertThat(conn.section("children").orElseThrow().has("life-c")).isTrue();

      a.initiate("life-c", Optional.of("life"), Duration.ofSeconds(10));
      ViciMessage ike = onlySa(a.listSas(false, Optional.of("life")), "life");
      assertThat(ike.string("state")).contains("ESTABLISHED");
      assertThat(ike.string("remote-id")).contains(SiteToSite.ID_B);
      ViciMessage child = installedChild(ike);
      assertThat(child.string("name")).contains("life-c");
      assertThat(child.string("encap")).contains("yes");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> events.containsAll(List.of("ike-updown:up", "child-updown:up")));
      assertThat(sites.pingBFromA(2).ok()).as("ping through the tunnel").isTrue();

      String spiBefore = child.string("spi-in").orElseThrow();
      assertThat(a.rekey(Optional.empty(), Optional.of("life-c"), false)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> !childRekeys.isEmpty());
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          installedChild(onlySa(a.listSas(false, Optional.of("life")), "life"))
                              .string("spi-in"))
                      .isPresent()
                      .isNotEqualTo(Optional.of(spiBefore)));
      String ikeIdBefore = ike.string("uniqueid").orElseThrow();
      assertThat(a.rekey(Optional.of("life"), Optional.empty(), false)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("ike-rekey:down"));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          onlySa(a.listSas(false, Optional.of("life")), "life").string("uniqueid"))
                      .isNotEqualTo(Optional.of(ikeIdBefore)));

      ViciCommands.TerminateResult terminated =
          a.terminate(Optional.of("life"), Optional.empty(), false, Duration.ofSeconds(5));
      assertThat(terminated.matches()).isEqualTo(1);
      assertThat(terminated.terminated()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("ike-updown:down"));
      assertThat(a.listSas(false, Optional.of("life"))).isEmpty();

      a.unloadConn("life");
      assertThat(a.getConns()).doesNotContain("life");
      assertThatThrownBy(() -> a.unloadConn("life"))
          .isInstanceOfSatisfying(
              ViciCommandException.class,
              e ->
                  assertThat(e.errmsg())
                      .hasValueSatisfying(m -> assertThat(m).contains("not found")));
      a.unloadShared("ike-life");
      assertThat(a.getShared()).doesNotContain("ike-life");
      b.unloadConn("life");
      b.unloadShared("ike-life");
    }
  }

  @Test
  void certificatesAndKeysGeneratedByBouncyCastleLoadAndClear() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keyPair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=vici-test.example");
    Instant now = Instant.now();
    var certificate =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)),
                subject,
                keyPair.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
    String keyPem =
        pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keyPair.getPrivate(), null));
    String certPem =
        pem(
            new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(certificate));

    String keyId = b.loadKey("ecdsa", keyPem);
    assertThat(keyId).matches("[0-9a-f]{40}");
    b.loadCert("X509", "NONE", certPem);
    assertThatThrownBy(() -> b.loadCert("X509", "CA", certPem))
        .isInstanceOfSatisfying(
            ViciCommandException.class,
            e ->
                assertThat(e.errmsg())
                    .hasValueSatisfying(m -> assertThat(m).contains("CA basic constraint")));
    assertThat(b.client().call("get-keys", ViciMessage.empty()).list("keys")).contains(keyId);
    assertThatThrownBy(
            () ->
                b.loadCert(
                    "X509",
                    "NONE",
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .isInstanceOf(ViciCommandException.class)
        .hasMessageContaining("load-cert");

    b.loadShared(SiteToSite.psk("ike-clear", "clear-secret"));
    assertThat(b.getShared()).contains("ike-clear");
    b.clearCreds();
    assertThat(b.getShared()).doesNotContain("ike-clear");
    assertThat(b.client().call("get-keys", ViciMessage.empty()).list("keys")).doesNotContain(keyId);
  }

  @Test
  void listConnsStreamsEveryLoadedConnectionWhileALogSubscriptionRuns() {
    // a subscription on the same client shares nothing with the command connection
    try (ViciSubscription logs = clientB.subscribe(List.of("log"), (e, m) -> {})) {
      b.loadShared(SiteToSite.psk("ike-many", "many-secret"));
      a.loadShared(SiteToSite.psk("ike-many", "many-secret"));
      for (int i = 0; i < 3; i++) {
        b.loadConn("many" + i, SiteToSite.pskConnection(B, "many" + i + "-c", Map.of(), Map.of()));
      }
      assertThat(b.listConns(Optional.empty()).stream().flatMap(m -> m.entries().keySet().stream()))
          .contains("many0", "many1", "many2");
      for (int i = 0; i < 3; i++) {
        b.unloadConn("many" + i);
      }
      b.unloadShared("ike-many");
      a.unloadShared("ike-many");
    }
  }

  /**
   * A consumer that refuses an event (a caller's bound on what it takes from charon) makes the
   * stream fail with its exception once charon has answered, the later events are not handed to it,
   * and the connection stays in step: the next command on it is answered, without a reconnect.
   */
  @Test
  void aConsumerThatRefusesAnEventFailsTheStreamAndTheConnectionStaysUsable() {
    for (int i = 0; i < 3; i++) {
      b.loadConn(
          "refused" + i, SiteToSite.pskConnection(B, "refused" + i + "-c", Map.of(), Map.of()));
    }
    try {
      List<String> seen = new CopyOnWriteArrayList<>();
      long generation = clientB.connectionGeneration();
      assertThatThrownBy(
              () ->
                  clientB.stream(
                      "list-conns",
                      "list-conn",
                      ViciMessage.empty(),
                      Duration.ofSeconds(10),
                      event -> {
                        seen.addAll(event.entries().keySet());
                        throw new ViciProtocolException("one connection is enough", -1);
                      }))
          .isInstanceOf(ViciProtocolException.class)
          .hasMessageContaining("one connection is enough");
      assertThat(seen).hasSize(1);

      assertThat(b.listConns(Optional.empty()).stream().flatMap(m -> m.entries().keySet().stream()))
          .contains("refused0", "refused1", "refused2");
      assertThat(clientB.connectionGeneration()).isEqualTo(generation);
    } finally {
      for (int i = 0; i < 3; i++) {
        b.unloadConn("refused" + i);
      }
    }
  }

  /**
   * Registration of several events while charon keeps sending {@code log} events: events arrive
   * between an EVENT_REGISTER and its EVENT_CONFIRM and must neither be lost nor be taken for the
   * confirmation.
   */
  @Test
  void subscriptionsRegisterWhileEventsAreFlowing() throws Exception {
    List<String> logs = new CopyOnWriteArrayList<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread loader =
        new Thread(
            () -> {
              // every load-conn makes charon log "added/updated vici connection: flow" (CFG level
              // 1)
              try (ViciClient c = sites.b().newClient()) {
                ViciCommands commands = new ViciCommands(c);
                for (int i = 0; i < 2000 && loading.get(); i++) {
                  commands.loadConn(
                      "flow", SiteToSite.pskConnection(B, "flow-c", Map.of(), Map.of()));
                }
                commands.unloadConn("flow");
              }
            });
    loader.start();
    try {
      for (int round = 0; round < 10; round++) {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ViciSubscription s =
            clientB.subscribe(
                List.of("log", "ike-updown", "child-updown", "ike-rekey", "child-rekey"),
                (event, message) -> {
                  seen.add(event);
                  logs.add(message.string("msg", ""));
                })) {
          assertThat(s.awaitConnected(Duration.ofSeconds(5))).as("round %d", round).isTrue();
          await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("log"));
        }
      }
    } finally {
      loading.set(false);
      loader.join(30_000);
    }
    assertThat(logs).anyMatch(m -> m.contains("vici connection: flow"));
  }

  @Test
  void callsTimeOutWhenCharonDoesNotAnswerAndRecoverAfterwards() throws Exception {
    ViciClient client = new ViciClient(sites.a().viciSocket(), Duration.ofMillis(300));
    try (client) {
      assertThat(new ViciCommands(client).version().daemon()).isEqualTo("charon");
      ProcessHandle charon = ProcessHandle.of(sites.a().pid()).orElseThrow();
      signal(charon.pid(), "STOP");
      awaitAllThreadsStopped(charon.pid());
      try {
        long started = System.nanoTime();
        assertThatThrownBy(() -> new ViciCommands(client).version())
            .isInstanceOf(ViciTimeoutException.class)
            .hasMessageContaining("'version'");
        // bounded by the 300 ms timeout, not by charon (stopped: it would never answer)
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(10));
      } finally {
        signal(charon.pid(), "CONT");
      }
      assertThat(new ViciCommands(client).version().daemon()).isEqualTo("charon");
      assertThat(client.connectionGeneration()).isEqualTo(2);
    }
  }

  @Test
  void clientAndSubscriptionReconnectAfterCharonIsKilledAndRestarted() throws Exception {
    try (NetnsLab lab = NetnsLab.create("vc")) {
      CharonInstance charon =
          CharonInstance.in(lab, lab.namespace("r"), dir.resolve(lab.id())).start();
      try (charon;
          ViciClient client = charon.newClient()) {
        ViciCommands commands = new ViciCommands(client);
        List<Long> connects = new CopyOnWriteArrayList<>();
        AtomicReference<ViciException> disconnect = new AtomicReference<>();
        client.onConnect(connects::add);
        ViciCommands.DaemonStats runBefore = commands.stats();
        assertThat(runBefore.startedAt()).isPresent();
        assertThat(commands.stats().sameDaemonRunAs(runBefore)).isTrue();
        ViciSubscription subscription =
            client.subscribe(
                List.of("ike-updown"),
                new ViciEventListener() {
                  @Override
                  public void onEvent(String event, ViciMessage message) {}

                  @Override
                  public void onDisconnected(ViciException cause) {
                    disconnect.set(cause);
                  }
                });
        assertThat(subscription.awaitConnected(Duration.ofSeconds(5))).isTrue();
        assertThat(subscription.generation()).isEqualTo(1);

        charon.kill();
        assertThatThrownBy(commands::version).isInstanceOf(ViciConnectionException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> disconnect.get() != null);
        assertThat(subscription.isConnected()).isFalse();
        assertThatThrownBy(commands::version)
            .isInstanceOf(ViciConnectionException.class)
            .hasMessageContaining(charon.viciSocket().toString());

        Thread.sleep(3100); // uptime.since has one-second resolution and a second of jitter
        charon.start();
        assertThat(commands.version().daemon()).isEqualTo("charon");
        assertThat(commands.stats().sameDaemonRunAs(runBefore))
            .as("a restarted charon is a new run")
            .isFalse();
        assertThat(connects).containsExactly(1L, 2L);
        assertThat(subscription.awaitConnected(Duration.ofSeconds(5))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscription.generation() == 2);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static ViciMessage onlySa(List<ViciMessage> sas, String conn) {
    assertThat(sas).hasSize(1);
    return sas.get(0).section(conn).orElseThrow();
  }

  private static ViciMessage installedChild(ViciMessage ike) {
    return ike.section("child-sas").orElseThrow().sections().values().stream()
        .filter(c -> c.string("state").orElse("").equals("INSTALLED"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no INSTALLED child in " + ike));
  }

  private static String pem(Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    }
    return out.toString();
  }

  private static void signal(long pid, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).isZero();
  }

  /**
   * SIGSTOP takes effect asynchronously, thread by thread: kill(1) returns once it is sent, and a
   * worker thread can still answer a request that arrives a moment later. Waits (at most 5 s) until
   * the kernel shows every thread of the process stopped.
   */
  private static void awaitAllThreadsStopped(long pid) throws Exception {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      boolean allStopped;
      try (Stream<Path> threads = Files.list(tasks)) {
        allStopped = threads.allMatch(ViciClientCharonTest::isStopped);
      }
      if (allStopped) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("charon's threads did not all stop within 5 s");
  }

  /** A thread's state in /proc/PID/task/TID/stat: the letter after the command's parenthesis. */
  private static boolean isStopped(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'T' || state == 't';
    } catch (IOException e) {
      return true; // the thread is gone
    }
  }
}
