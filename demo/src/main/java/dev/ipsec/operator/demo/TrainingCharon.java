package dev.ipsec.operator.demo;

import dev.ipsec.operator.vici.ViciCodec;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciPacket;
import dev.ipsec.operator.vici.ViciPacketType;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for charon on the VICI socket of {@link AgentClassDataArchive}'s training agent, so
 * that the training reaches the agent's first load: the agent reads its volume only once charon
 * answers. It speaks the real protocol through the {@code vici} codec, as an empty charon that
 * accepts everything would: {@code stats}, {@code version} and {@code get-algorithms} answer as
 * charon does, every other command (the loads, the streamed lists, which then stream nothing) with
 * {@code success = yes}, and every event registration is confirmed. It records which commands it
 * was sent, so the training knows when the first load went through.
 *
 * <p>Not a test double of charon's semantics: nothing is kept, nothing checked. Its only job is to
 * make the training agent run the code a new gateway's agent runs on the way to its first answer.
 * The socket lives in the training's own directory (this user's alone).
 */
final class TrainingCharon implements AutoCloseable {

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.US);

  private final ServerSocketChannel server;
  private final Path socket;
  private final String since = LocalDateTime.now().format(SINCE);
  private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
  private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();

  private TrainingCharon(ServerSocketChannel server, Path socket) {
    this.server = server;
    this.socket = socket;
  }

  /** Listens on {@code socket} (a path that must not exist yet) until closed. */
  static TrainingCharon listen(Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    TrainingCharon charon = new TrainingCharon(server, socket);
    Thread accept = new Thread(charon::acceptLoop, "training-charon");
    accept.setDaemon(true);
    accept.start();
    return charon;
  }

  /** How many times {@code command} was sent, over every connection. */
  int count(String command) {
    AtomicInteger n = commands.get(command);
    return n == null ? 0 : n.get();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        clients.add(client);
        Thread serve = new Thread(() -> serve(client), "training-charon-client");
        serve.setDaemon(true);
        serve.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client;
        InputStream in = Channels.newInputStream(client)) {
      for (byte[] segment = ViciCodec.readSegment(in);
          segment != null;
          segment = ViciCodec.readSegment(in)) {
        ViciPacket packet = ViciCodec.decodePacket(segment);
        ViciPacket reply =
            switch (packet.type()) {
              case CMD_REQUEST -> {
                commands.computeIfAbsent(packet.name(), k -> new AtomicInteger()).incrementAndGet();
                yield new ViciPacket(ViciPacketType.CMD_RESPONSE, null, answer(packet.name()));
              }
              case EVENT_REGISTER, EVENT_UNREGISTER -> ViciPacket.of(ViciPacketType.EVENT_CONFIRM);
              default -> null; // nothing else is sent to charon
            };
        if (reply != null) {
          ByteBuffer framed = ByteBuffer.wrap(ViciCodec.frame(reply));
          while (framed.hasRemaining()) {
            client.write(framed);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the agent went away or sent what an empty charon would not answer either: drop it
    }
  }

  /** What charon answers {@code command} with, for the few whose answer the agent reads. */
  ViciMessage answer(String command) {
    return switch (command) {
      case "stats" ->
          ViciMessage.empty()
              .putSection(
                  "uptime", ViciMessage.empty().put("running", "0 seconds").put("since", since))
              .putSection("ikesas", ViciMessage.empty().put("total", "0").put("half-open", "0"))
              .putList("plugins", List.of("random", "nonce", "openssl", "kernel-netlink", "vici"));
      case "version" ->
          ViciMessage.empty()
              .put("daemon", "charon")
              .put("version", "5.9.8")
              .put("sysname", "Linux")
              .put("release", "training")
              .put("machine", "x86_64");
      case "get-algorithms" ->
          ViciMessage.empty()
              .putSection(
                  "encryption",
                  ViciMessage.empty().put("AES_CBC", "openssl").put("AES_GCM_16", "openssl"))
              .putSection("integrity", ViciMessage.empty().put("HMAC_SHA2_256_128", "openssl"))
              .putSection("prf", ViciMessage.empty().put("PRF_HMAC_SHA2_256", "openssl"))
              .putSection(
                  "ke", ViciMessage.empty().put("MODP_2048", "openssl").put("ECP_256", "openssl"));
      default -> ViciMessage.empty().put("success", "yes");
    };
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel client : clients) {
      client.close();
    }
    Files.deleteIfExists(socket);
  }
}
