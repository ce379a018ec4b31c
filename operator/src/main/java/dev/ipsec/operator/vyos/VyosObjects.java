package dev.ipsec.operator.vyos;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Metadata of an imported object: its name and, when one was given, its namespace. */
final class VyosObjects {

  private VyosObjects() {}

  static ObjectMeta metadata(String name, String namespace) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }
}
