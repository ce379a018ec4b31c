package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.Keywords;
import java.util.Optional;

/** A VyOS keyword to the API's enum constant of the same keyword (the API uses VyOS's words). */
final class VyosKeywords {

  private VyosKeywords() {}

  static <E extends Enum<E>> Optional<E> parse(Class<E> type, String keyword) {
    for (E constant : type.getEnumConstants()) {
      if (Keywords.of(constant).equals(keyword)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }
}
