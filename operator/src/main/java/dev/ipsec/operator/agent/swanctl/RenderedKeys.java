package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.settings.SettingsSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the operator's renderer writes into swanctl.conf, section by section: the only keys the
 * agent passes to charon. charon takes many more, and some are dangerous (an {@code updown} script
 * runs as root), so a file that got into the volume past its manifest, or a renderer bug, must not
 * be able to use them. Anything else is refused as an error of its connection or secret, naming the
 * file and the key.
 *
 * <p>The lists follow {@code render.ConnectionWriter} (connection, auth rounds, children) and
 * {@code render.AuthenticationResolver} (the {@code ike-<conn>} and {@code private-<conn>} secrets,
 * named as {@code render.CredentialNames} says). The agent cannot depend on {@code render}, so
 * tests render every option of the VyOS table ({@code render.RenderedKeysTest}) and every example
 * ({@code cli.ExamplesInTheAgentTest}) and require the agent to take all of it: a key the renderer
 * starts writing fails there first.
 */
final class RenderedKeys {

  /**
   * The one {@code updown} the renderer writes, for a VTI child ({@code render.Grammar} names VTI
   * interfaces {@code vti<0..999999>}): VyOS's script, with the interface as its only argument.
   */
  static final Pattern VTI_UPDOWN =
      Pattern.compile("/etc/ipsec\\.d/vti-up-down vti(0|[1-9][0-9]{0,5})");

  /** The top-level sections; nothing else of swanctl.conf is rendered. */
  static final Set<String> TOP_LEVEL = Set.of("connections", "secrets");

  /**
   * The keys and sub-sections one section may hold.
   *
   * @param keys key name -> the values it may take (null: any value)
   * @param keyPatterns keys named by a pattern (numbered owners), any value
   * @param sections sub-sections by name
   * @param anySection the rule of sub-sections of any name (children), or null
   */
  private record Rule(
      Map<String, Pattern> keys,
      List<Pattern> keyPatterns,
      Map<String, Rule> sections,
      Rule anySection) {

    static Rule of(String... names) {
      return new Rule(
          Arrays.stream(names).collect(Collectors.toMap(n -> n, n -> Pattern.compile("(?s).*"))),
          List.of(),
          Map.of(),
          null);
    }

    Rule withValue(String key, Pattern values) {
      Map<String, Pattern> constrained = new HashMap<>(keys);
      constrained.put(key, values);
      return new Rule(Map.copyOf(constrained), keyPatterns, sections, anySection);
    }

    Rule withKeyPattern(String regex) {
      List<Pattern> patterns = new ArrayList<>(keyPatterns);
      patterns.add(Pattern.compile(regex));
      return new Rule(keys, List.copyOf(patterns), sections, anySection);
    }

    Rule withSections(Map<String, Rule> named, Rule any) {
      return new Rule(keys, keyPatterns, named, any);
    }

    boolean allowsKey(String key) {
      return keys.containsKey(key) || keyPatterns.stream().anyMatch(p -> p.matcher(key).matches());
    }

    boolean allowsValue(String key, String value) {
      Pattern values = keys.get(key);
      return values == null || values.matcher(value).matches();
    }

    Rule section(String name) {
      return sections.getOrDefault(name, anySection);
    }
  }

  private static final Rule AUTH_ROUND = Rule.of("auth", "id", "certs", "cacerts", "pubkeys");

  private static final Rule CHILD =
      Rule.of(
              "esp_proposals",
              "life_bytes",
              "rekey_bytes",
              "life_packets",
              "rekey_packets",
              "life_time",
              "rekey_time",
              "local_ts",
              "remote_ts",
              "priority",
              "ipcomp",
              "mode",
              "start_action",
              "dpd_action",
              "close_action",
              "replay_window",
              "updown",
              "if_id_in",
              "if_id_out")
          .withValue("updown", VTI_UPDOWN);

  private static final Rule CONNECTION =
      Rule.of(
              "proposals",
              "version",
              "vips",
              "local_addrs",
              "remote_addrs",
              "send_cert",
              "dpd_timeout",
              "dpd_delay",
              "aggressive",
              "rekey_time",
              "mobike",
              "keyingtries",
              "encap")
          .withSections(
              Map.of(
                  "local",
                  AUTH_ROUND,
                  "remote",
                  AUTH_ROUND,
                  "children",
                  Rule.of().withSections(Map.of(), CHILD)),
              null);

  /** {@code ike-<conn>}: the owners ({@code id-local}, {@code id-remote-<n>}) and the key. */
  private static final Rule SHARED_SECRET =
      Rule.of("id-local", "secret").withKeyPattern("id-remote-(0|[1-9][0-9]{0,3})");

  /** {@code private-<conn>}: the key file and its passphrase. */
  private static final Rule PRIVATE_KEY = Rule.of("file", "secret");

  private static final Map<String, Rule> SECRET_PREFIXES =
      Map.of("ike-", SHARED_SECRET, "private-", PRIVATE_KEY);

  private final Path configDir;

  /**
   * @param configDir where the files lie: errors name them relative to it
   */
  RenderedKeys(Path configDir) {
    this.configDir = configDir;
  }

  /**
   * One error per top-level section other than {@code connections} and {@code secrets}: nothing
   * else is translated, but a file that holds one is not the operator's.
   */
  List<String> checkTopLevel(SettingsSection tree) {
    List<String> errors = new ArrayList<>();
    tree.sections()
        .forEach(
            (name, section) -> {
              if (!TOP_LEVEL.contains(name)) {
                errors.add(
                    refusal(section, name, "is not a section the operator renders").getMessage());
              }
            });
    return errors;
  }

  /** Refuses anything in {@code connections.<name>} that the renderer does not write. */
  void checkConnection(String name, SettingsSection section) throws ConfigItemException {
    check("connections." + name, section, CONNECTION);
  }

  /** Refuses a {@code secrets.<id>} section the renderer does not write, or a key in it. */
  void checkSecret(String id, SettingsSection section) throws ConfigItemException {
    String path = "secrets." + id;
    Rule rule =
        SECRET_PREFIXES.entrySet().stream()
            .filter(e -> id.startsWith(e.getKey()))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElseThrow(() -> refusal(section, path, "is not a section the operator renders"));
    check(path, section, rule);
  }

  private void check(String path, SettingsSection section, Rule rule) throws ConfigItemException {
    for (Map.Entry<String, String> e : section.values().entrySet()) {
      String key = path + "." + e.getKey();
      if (!rule.allowsKey(e.getKey())) {
        throw refusal(section, key, "is not a key the operator renders");
      }
      if (!rule.allowsValue(e.getKey(), e.getValue())) {
        // never the value itself: it may be a secret
        throw refusal(section, key, "has a value the operator does not render");
      }
    }
    for (Map.Entry<String, SettingsSection> e : section.sections().entrySet()) {
      String child = path + "." + e.getKey();
      Rule childRule = rule.section(e.getKey());
      if (childRule == null) {
        throw refusal(e.getValue(), child, "is not a section the operator renders");
      }
      check(child, e.getValue(), childRule);
    }
  }

  /** {@code conf.d/x.conf: connections.site-b.children.t1.updown is not a key ...}. */
  private ConfigItemException refusal(SettingsSection where, String path, String what) {
    String files =
        where.sources().stream()
            .map(f -> f.startsWith(configDir) ? configDir.relativize(f).toString() : f.toString())
            .sorted()
            .collect(Collectors.joining(", "));
    return new ConfigItemException((files.isEmpty() ? "" : files + ": ") + path + " " + what);
  }
}
