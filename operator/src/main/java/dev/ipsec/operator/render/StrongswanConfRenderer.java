package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.GlobalOptions;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec;
import dev.ipsec.operator.api.v1alpha1.LogSettings;
import dev.ipsec.operator.api.v1alpha1.LogSubsystem;
import dev.ipsec.operator.api.v1alpha1.RetransmitSettings;
import dev.ipsec.operator.settings.SettingsWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;

/**
 * charon's strongswan.conf from an IpsecGlobal: VyOS's {@code charon.j2} and {@code
 * interfaces_use.conf.j2} in one file, plus what a container needs (log to stdout, the shared VICI
 * socket, kernel-libipsec on request) and the plugins charon loads, by name ({@link
 * CharonPlugins}). One key per line: the settings parser silently drops every key after the first
 * on a line.
 */
final class StrongswanConfRenderer {

  /** charon's own default level, kept for the subsystems the spec does not name. */
  static final int CHARON_DEFAULT_LOG_LEVEL = 1;

  private StrongswanConfRenderer() {}

  static List<FieldError> validate(IpsecGlobal gateway) {
    FieldErrors errors = new FieldErrors();
    IpsecGlobalSpec spec = gateway.getSpec();
    FieldPath at = FieldPath.of("spec");
    if (spec == null) {
      return errors.toList();
    }
    List<String> interfaces = spec.getInterfaces() == null ? List.of() : spec.getInterfaces();
    for (int i = 0; i < interfaces.size(); i++) {
      if (!Grammar.isInterfaceName(interfaces.get(i))) {
        errors.add(at.field("interfaces").index(i), "not a valid interface name");
      }
    }
    GlobalOptions options = spec.getOptions();
    if (options != null) {
      if (options.getVirtualIpInterface() != null
          && !Grammar.isInterfaceName(options.getVirtualIpInterface())) {
        errors.add(at.field("options").field("virtualIpInterface"), "not a valid interface name");
      }
      RetransmitSettings r = options.getRetransmit();
      if (r != null) {
        FieldPath rp = at.field("options").field("retransmit");
        if (r.getTimeout() != null && !(r.getTimeout() >= 0.1 && r.getTimeout() <= 600)) {
          errors.add(rp.field("timeout"), "must be between 0.1 and 600");
        }
        CryptoGroups.checkRange(errors, rp.field("tries"), r.getTries(), 0, 20);
        if (r.getBase() != null && !(r.getBase() >= 1 && r.getBase() <= 10)) {
          errors.add(rp.field("base"), "must be between 1 and 10");
        }
      }
    }
    LogSettings log = spec.getLog();
    if (log != null) {
      CryptoGroups.checkRange(errors, at.field("log").field("level"), log.getLevel(), 0, 2);
      List<LogSubsystem> subsystems = log.getSubsystems() == null ? List.of() : log.getSubsystems();
      for (int i = 0; i < subsystems.size(); i++) {
        if (subsystems.get(i) == null) {
          errors.add(at.field("log").field("subsystems").index(i), "unknown subsystem");
        }
      }
    }
    return errors.toList();
  }

  /** The file for a gateway that {@link #validate} accepted. */
  static String render(IpsecGlobal gateway, RenderOptions options) {
    IpsecGlobalSpec spec = gateway.getSpec() == null ? new IpsecGlobalSpec() : gateway.getSpec();
    GlobalOptions o = spec.getOptions();
    SettingsWriter w = new SettingsWriter(1024);
    w.section("charon");
    boolean userSpaceEsp =
        spec.getGateway() != null && Boolean.TRUE.equals(spec.getGateway().getUserSpaceEsp());
    w.value("load", String.join(" ", CharonPlugins.forGateway(userSpaceEsp)));
    List<String> interfaces = spec.getInterfaces() == null ? List.of() : spec.getInterfaces();
    if (!interfaces.isEmpty()) {
      w.value("interfaces_use", String.join(", ", interfaces));
    }
    w.value("install_routes", o == null || !Boolean.TRUE.equals(o.getDisableRouteAutoinstall()));
    if (o != null) {
      // VyOS writes cisco_flexvpn = no whenever an options node exists without flexvpn
      w.value("cisco_flexvpn", Boolean.TRUE.equals(o.getFlexvpn()));
      if (Boolean.TRUE.equals(o.getVirtualIp())) {
        w.value("install_virtual_ip", true);
      }
      if (o.getVirtualIpInterface() != null) {
        w.value("install_virtual_ip_on", o.getVirtualIpInterface());
      }
      RetransmitSettings r = o.getRetransmit();
      if (r != null) {
        if (r.getTimeout() != null) {
          w.value("retransmit_timeout", decimal(r.getTimeout()));
        }
        if (r.getTries() != null) {
          w.value("retransmit_tries", r.getTries());
        }
        if (r.getBase() != null) {
          w.value("retransmit_base", decimal(r.getBase()));
        }
      }
    }
    log(w, spec.getLog());
    w.section("plugins");
    w.section("vici").value("socket", options.viciSocketUri()).end();
    w.end();
    w.end();
    return w.text();
  }

  /**
   * Logging to stdout for the container runtime. With no subsystems (or {@code any}) the level
   * applies to all; with a list, those subsystems get the level and the rest keep charon's default
   * of 1, as VyOS's former {@code charondebug} did.
   */
  private static void log(SettingsWriter w, LogSettings log) {
    w.section("filelog").section("stdout");
    w.value("time_format", "%b %e %T");
    w.value("ike_name", true);
    w.value("flush_line", true);
    int level = log == null || log.getLevel() == null ? CHARON_DEFAULT_LOG_LEVEL : log.getLevel();
    TreeSet<String> named = new TreeSet<>();
    if (log != null && log.getSubsystems() != null) {
      log.getSubsystems().forEach(s -> named.add(s.keyword()));
    }
    if (named.isEmpty() || named.contains("any")) {
      w.value("default", level);
    } else {
      w.value("default", CHARON_DEFAULT_LOG_LEVEL);
      for (String subsystem : named) {
        w.value(subsystem, level);
      }
    }
    w.end().end();
  }

  private static String decimal(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
