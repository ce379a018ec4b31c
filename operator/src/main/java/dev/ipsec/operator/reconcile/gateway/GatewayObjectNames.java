package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.volume.ConfigShards;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway whose object a ConfigMap or Secret would be by its name alone ({@code gw-strongswan},
 * {@code gw-config-17}), the reverse of {@link GatewayObjects}' names: so that someone else's
 * object that takes such a name, or leaves it, wakes that gateway up at once.
 */
final class GatewayObjectNames {

  private static final Pattern CONFIG_MAP =
      Pattern.compile("(.+)-(?:swanctl|strongswan|config-([0-9]{1,2}))");
  private static final Pattern SECRET =
      Pattern.compile("(.+)-(?:swanctl|agent-tls|secrets-([0-9]{1,2}))");

  private GatewayObjectNames() {}

  static Optional<String> gatewayOfConfigMap(String name) {
    return gatewayIn(CONFIG_MAP.matcher(name));
  }

  static Optional<String> gatewayOfSecret(String name) {
    return gatewayIn(SECRET.matcher(name));
  }

  private static Optional<String> gatewayIn(Matcher m) {
    if (!m.matches()) {
      return Optional.empty();
    }
    String shard = m.group(2);
    return shard == null || Integer.parseInt(shard) < ConfigShards.MAX_SHARDS
        ? Optional.of(m.group(1))
        : Optional.empty();
  }
}
