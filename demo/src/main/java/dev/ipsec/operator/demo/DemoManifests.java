package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ipsec.operator.demo.LocalCluster.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of an example directory and what the demo reads from them: where each gateway's pod
 * must sit (the {@code localAddress} of its peers) and which inner addresses can ping each other
 * (the first host of each tunnel's local and remote prefixes).
 *
 * @param files the YAML files, in the order they are applied
 * @param sites one per IpsecGlobal that has peers
 * @param pings one per IpsecPeer: from its gateway's inner address to the remote site's
 */
public record DemoManifests(List<Path> files, List<Site> sites, List<Ping> pings) {

  /**
   * A ping that must cross the tunnel.
   *
   * @param gateway the gateway whose pod sends it
   * @param peer the IpsecPeer (on that gateway) whose tunnel it crosses
   * @param from source address, inside the tunnel's local prefix
   * @param to destination address, inside the tunnel's remote prefix
   */
  public record Ping(String gateway, String peer, String from, String to) {}

  /** Reads every {@code *.yaml} file of {@code directory}. */
  public static DemoManifests read(Path directory) {
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no YAML files in " + directory);
    }
    Map<String, Site> sites = new LinkedHashMap<>();
    List<Ping> pings = new ArrayList<>();
    for (Path file : files) {
      for (JsonNode resource : documents(file)) {
        if (!"IpsecPeer".equals(resource.path("kind").asText())) {
          continue;
        }
        String where = file.getFileName() + ", IpsecPeer " + resource.at("/metadata/name").asText();
        JsonNode spec = resource.path("spec");
        JsonNode tunnel = spec.at("/tunnels/0");
        String gateway = required(spec.path("gateway"), where + ": spec.gateway");
        String local =
            firstHost(
                required(
                    tunnel.at("/local/prefixes/0"), where + ": spec.tunnels[0].local.prefixes[0]"));
        String remote =
            firstHost(
                required(
                    tunnel.at("/remote/prefixes/0"),
                    where + ": spec.tunnels[0].remote.prefixes[0]"));
        sites.putIfAbsent(
            gateway,
            new Site(
                gateway,
                required(spec.path("localAddress"), where + ": spec.localAddress"),
                local));
        pings.add(new Ping(gateway, resource.at("/metadata/name").asText(), local, remote));
      }
    }
    if (sites.size() < 2) {
      throw new IllegalArgumentException(
          directory
              + " must describe at least two gateways with"
              + " peers (IpsecPeers with spec.gateway, localAddress and tunnels); found "
              + sites.keySet());
    }
    return new DemoManifests(files, List.copyOf(sites.values()), List.copyOf(pings));
  }

  private static List<JsonNode> documents(Path file) {
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> out = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject()) {
          out.add(doc);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String required(JsonNode node, String field) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return node.asText();
  }

  /** The first host address of an IPv4 prefix: 198.51.100.128/25 gives 198.51.100.129. */
  static String firstHost(String prefix) {
    String[] parts = prefix.split("/");
    try {
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      if (address.length != 4 || parts.length != 2) {
        throw new IllegalArgumentException("the demo needs an IPv4 prefix, not " + prefix);
      }
      int bits = Integer.parseInt(parts[1]);
      int value =
          ((address[0] & 0xff) << 24)
              | ((address[1] & 0xff) << 16)
              | ((address[2] & 0xff) << 8)
              | (address[3] & 0xff);
      int network = bits == 0 ? 0 : value & (-1 << (32 - bits));
      int host = bits >= 31 ? value : network + 1;
      return ((host >>> 24) & 0xff)
          + "."
          + ((host >>> 16) & 0xff)
          + "."
          + ((host >>> 8) & 0xff)
          + "."
          + (host & 0xff);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv4 prefix: " + prefix, e);
    }
  }
}
