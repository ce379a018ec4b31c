package dev.ipsec.operator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;

/** Minimal valid resources of each kind, as YAML a user would write, for schema tests to bend. */
final class Resources {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Resources() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode ikeGroup() {
    return yaml(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IkeGroup
        metadata: {name: ike}
        spec:
          proposals:
            - {encryption: aes256, hash: sha256, dhGroup: 14}
        """);
  }

  static ObjectNode espGroup() {
    return yaml(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: EspGroup
        metadata: {name: esp}
        spec:
          proposals:
            - {encryption: aes256, hash: sha256}
        """);
  }

  static ObjectNode pskPeer() {
    return yaml(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: branch}
        spec:
          gateway: gw
          ikeGroup: ike
          defaultEspGroup: esp
          localAddress: 192.0.2.1
          remoteAddresses: [192.0.2.2]
          authentication:
            mode: pre-shared-secret
            preSharedSecret:
              secretRef: {name: psk, key: secret}
          tunnels:
            - id: 1
              local: {prefixes: [198.51.100.0/24]}
              remote: {prefixes: [203.0.113.0/24], port: 443}
              protocol: tcp
        """);
  }

  static ObjectNode ipsecGlobal() {
    return yaml(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: gw}
        spec:
          interfaces: [eth0]
          log: {level: 1, subsystems: [ike, chd]}
          gateway:
            replicas: 1
            resources:
              requests: {cpu: 100m, memory: 64Mi}
            tolerations:
              - {key: dedicated, operator: Equal, value: vpn, effect: NoSchedule}
        """);
  }

  /** Sets a value at a slash path such as {@code /spec/mode}, creating objects on the way. */
  /** A Java value (maps, lists, scalars) as JSON. */
  static JsonNode json(Object value) {
    return YAML.valueToTree(value);
  }

  static ObjectNode with(ObjectNode resource, String pointer, Object value) {
    String parentPointer = pointer.substring(0, pointer.lastIndexOf('/'));
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    JsonNode parent = parentPointer.isEmpty() ? resource : resource.at(parentPointer);
    if (parent.isMissingNode()) {
      parent = with(resource, parentPointer, YAML.createObjectNode()).at(parentPointer);
    }
    JsonNode node = YAML.valueToTree(value);
    if (parent instanceof ArrayNode array) {
      int index = Integer.parseInt(field);
      if (index == array.size()) {
        array.add(node);
      } else {
        array.set(index, node);
      }
    } else {
      ((ObjectNode) parent).set(field, node);
    }
    return resource;
  }

  static ObjectNode without(ObjectNode resource, String pointer) {
    String parentPointer = pointer.substring(0, pointer.lastIndexOf('/'));
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    ((ObjectNode) resource.at(parentPointer)).remove(field);
    return resource;
  }
}
