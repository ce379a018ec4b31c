package dev.ipsec.operator.render;

import dev.ipsec.operator.settings.SettingsWriter;
import java.nio.charset.StandardCharsets;

/**
 * Lays a validated {@link ConnectionModel} out as {@code conf.d/<peer>.conf} and {@code
 * secrets.d/<peer>.conf}, in the key order of VyOS's {@code swanctl/peer.j2}.
 */
final class ConnectionWriter {

  private ConnectionWriter() {}

  static String connections(ConnectionModel c) {
    SettingsWriter w = new SettingsWriter(1024 + 512 * c.children().size());
    w.section("connections").section(c.name());
    w.value("proposals", c.proposals());
    w.value("version", c.version());
    if (!c.vips().isEmpty()) {
      w.value("vips", String.join(", ", c.vips()));
    }
    w.value("local_addrs", c.localAddrs());
    w.value("remote_addrs", c.remoteAddrs());
    if (c.sendCert()) {
      w.value("send_cert", "always");
    }
    if (c.dpd() != null) {
      w.value("dpd_timeout", c.dpd().timeout());
      w.value("dpd_delay", c.dpd().delay());
    }
    if (c.aggressive()) {
      w.value("aggressive", true);
    }
    w.value("rekey_time", c.rekeyTime() + "s");
    w.value("mobike", c.mobike());
    if (c.keyingtries() != null) {
      w.value("keyingtries", c.keyingtries());
    }
    if (c.encap()) {
      w.value("encap", true);
    }
    auth(w, "local", c.local());
    auth(w, "remote", c.remote());
    w.section("children");
    for (ConnectionModel.Child child : c.children()) {
      child(w, child);
    }
    w.end().end().end();
    return w.text();
  }

  static byte[] secrets(ConnectionModel c) {
    SettingsWriter w = new SettingsWriter(256);
    w.section("secrets");
    for (ConnectionModel.SecretSection section : c.secrets()) {
      w.section(section.name());
      for (var entry : section.entries()) {
        w.value(entry.getKey(), entry.getValue());
      }
      w.end();
    }
    w.end();
    return w.text().getBytes(StandardCharsets.UTF_8);
  }

  private static void auth(SettingsWriter w, String section, ConnectionModel.Auth a) {
    w.section(section);
    w.value("auth", a.auth());
    optional(w, "id", a.id());
    optional(w, "certs", a.certs());
    optional(w, "cacerts", a.cacerts());
    optional(w, "pubkeys", a.pubkeys());
    w.end();
  }

  private static void child(SettingsWriter w, ConnectionModel.Child c) {
    w.section(c.name());
    optional(w, "esp_proposals", c.espProposals());
    optional(w, "life_bytes", c.lifeBytes());
    optional(w, "rekey_bytes", c.rekeyBytes());
    optional(w, "life_packets", c.lifePackets());
    optional(w, "rekey_packets", c.rekeyPackets());
    optional(w, "life_time", seconds(c.lifeTime()));
    optional(w, "rekey_time", seconds(c.rekeyTime()));
    if (c.disableRekey()) {
      w.value("rekey_bytes", 0);
      w.value("rekey_packets", 0);
      w.value("rekey_time", "0s");
    }
    optional(w, "local_ts", c.localTs());
    optional(w, "remote_ts", c.remoteTs());
    optional(w, "priority", c.priority());
    optional(w, "ipcomp", c.ipcomp());
    optional(w, "mode", c.mode());
    optional(w, "start_action", c.startAction());
    optional(w, "dpd_action", c.dpdAction());
    optional(w, "close_action", c.closeAction());
    optional(w, "replay_window", c.replayWindow());
    if (c.vti() != null) {
      w.value("updown", "/etc/ipsec.d/vti-up-down " + c.vti().interfaceName());
      w.value("if_id_in", c.vti().ifId());
      w.value("if_id_out", c.vti().ifId());
    }
    w.end();
  }

  /** Writes {@code key} only when the model sets it; a flag takes the writer's yes/no. */
  private static void optional(SettingsWriter w, String key, Object value) {
    if (value instanceof Boolean flag) {
      w.value(key, flag.booleanValue());
    } else if (value != null) {
      w.value(key, value.toString());
    }
  }

  private static String seconds(Integer value) {
    return value == null ? null : value + "s";
  }
}
