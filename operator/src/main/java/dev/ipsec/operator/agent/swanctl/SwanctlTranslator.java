package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.settings.SettingsSection;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a parsed {@code swanctl.conf} tree into the VICI requests {@code swanctl --load-all} sends
 * (src/swanctl/commands/load_conns.c, load_creds.c):
 *
 * <ul>
 *   <li>{@code connections.<name>} becomes {@code load-conn {<name> {...}}}: key-values first in
 *       file order, then sub-sections, recursively; the list keys are split on commas into LIST
 *       elements; {@code certs}, {@code cacerts} and {@code pubkeys} name files in {@code x509/},
 *       {@code x509ca/} and {@code pubkey/} whose contents are sent;
 *   <li>{@code secrets.ike|eap|xauth|ntlm|ppk<suffix>} becomes {@code load-shared} with the section
 *       name as id and the {@code id*} keys as owners;
 *   <li>{@code secrets.private|rsa|ecdsa<suffix>} name a key file ({@code file}) in their folder.
 * </ul>
 *
 * Only what the renderer writes passes ({@link RenderedKeys}), and files are read through {@link
 * ListedFiles}: only what the manifests list exists.
 *
 * <p>Values are checked against the VICI limits (names up to 255 bytes, values up to 65535) so a
 * bad item gets an error of its own instead of breaking the whole load.
 */
public final class SwanctlTranslator {

  /** Keys whose comma-separated values swanctl sends as a VICI list. */
  static final Set<String> LIST_KEYS =
      Set.of(
          "local_addrs",
          "remote_addrs",
          "proposals",
          "vips",
          "pools",
          "esp_proposals",
          "ah_proposals",
          "local_ts",
          "remote_ts",
          "groups",
          "cert_policy");

  /** Keys whose comma-separated file names swanctl reads and sends as a list of blobs. */
  static final Map<String, String> FILE_LIST_KEYS =
      Map.of("certs", "x509", "cacerts", "x509ca", "pubkeys", "pubkey");

  private static final List<String> SHARED_TYPES = List.of("ike", "eap", "xauth", "ntlm", "ppk");
  private static final Map<String, String> KEY_SECTION_FOLDERS =
      Map.of("private", "private", "rsa", "rsa", "ecdsa", "ecdsa");

  private static final int MAX_NAME = 255;
  private static final int MAX_VALUE = 65535;

  /** The files of the revision being read, by logical path ({@code x509/site-b.pem}). */
  @FunctionalInterface
  public interface ListedFiles {
    /** The content of a listed file; empty for a path no manifest lists. */
    Optional<byte[]> content(String logicalPath);
  }

  private final ListedFiles files;
  private final RenderedKeys renderedKeys;

  /**
   * @param configDir where the files lie, for the names in errors
   * @param files where {@code certs}, {@code cacerts}, {@code pubkeys} and key references are read
   */
  public SwanctlTranslator(Path configDir, ListedFiles files) {
    this.files = files;
    this.renderedKeys = new RenderedKeys(configDir.toAbsolutePath().normalize());
  }

  /** The {@code load-conn} request for one connection section. */
  public SectionSpec connection(String name, SettingsSection section) throws ConfigItemException {
    checkName(name, "connection name");
    renderedKeys.checkConnection(name, section);
    ViciMessage body = new ViciMessage();
    addTree(body, section);
    ViciMessage request = ViciMessage.empty().putSection(name, body);
    return new SectionSpec(name, request, Fingerprint.of(request), section.sources());
  }

  /**
   * The {@code load-shared} request for a {@code secrets.<id>} section of a shared type (sections
   * of a key type are handled by {@link #keyReference}).
   */
  public SectionSpec sharedSecret(String id, SettingsSection section) throws ConfigItemException {
    renderedKeys.checkSecret(id, section);
    String type =
        SHARED_TYPES.stream()
            .filter(t -> startsWithIgnoreCase(id, t))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigItemException(
                        "unsupported secret type (expected a name starting with ike, eap, xauth,"
                            + " ntlm, ppk, private, rsa or ecdsa)"));
    checkName(id, "secret id");
    String secret =
        section.value("secret").orElseThrow(() -> new ConfigItemException("has no 'secret'"));
    List<String> owners = new ArrayList<>();
    section
        .values()
        .forEach(
            (key, value) -> {
              if (key.startsWith("id")) {
                owners.add(value);
              }
            });
    ViciMessage request =
        ViciMessage.empty()
            .put("id", id)
            .put("type", type.toUpperCase(Locale.ROOT))
            .put("data", decodeSecret(secret))
            .putList("owners", owners);
    checkLimits(request);
    return new SectionSpec(id, request, Fingerprint.of(request), section.sources());
  }

  /** Errors of the top-level sections the renderer never writes (nothing in them is loaded). */
  public List<String> checkTopLevel(SettingsSection tree) {
    return renderedKeys.checkTopLevel(tree);
  }

  /** Whether {@code secrets.<id>} names a private key rather than a shared secret. */
  public static boolean isKeySection(String id) {
    return KEY_SECTION_FOLDERS.keySet().stream().anyMatch(t -> startsWithIgnoreCase(id, t));
  }

  /** The credential file a {@code secrets.private|rsa|ecdsa<suffix>} section refers to. */
  public String keyReference(String id, SettingsSection section) throws ConfigItemException {
    renderedKeys.checkSecret(id, section);
    String folder =
        KEY_SECTION_FOLDERS.entrySet().stream()
            .filter(e -> startsWithIgnoreCase(id, e.getKey()))
            .findFirst()
            .orElseThrow()
            .getValue();
    String file = section.value("file").orElseThrow(() -> new ConfigItemException("has no 'file'"));
    String path = logicalPath(folder, file);
    if (files.content(path).isEmpty()) {
      throw new ConfigItemException("key file '" + path + "' not found");
    }
    return path;
  }

  private void addTree(ViciMessage target, SettingsSection section) throws ConfigItemException {
    for (Map.Entry<String, String> e : section.values().entrySet()) {
      String key = e.getKey();
      checkName(key, "key");
      if (LIST_KEYS.contains(key)) {
        target.putList(key, checkValues(key, splitList(e.getValue())));
      } else if (FILE_LIST_KEYS.containsKey(key)) {
        List<String> blobs = new ArrayList<>();
        for (String file : splitList(e.getValue())) {
          blobs.add(readBlob(FILE_LIST_KEYS.get(key), file));
        }
        target.putList(key, checkValues(key, blobs));
      } else {
        target.put(key, checkValues(key, List.of(e.getValue())).get(0));
      }
    }
    for (Map.Entry<String, SettingsSection> e : section.sections().entrySet()) {
      checkName(e.getKey(), "section name");
      ViciMessage child = new ViciMessage();
      addTree(child, e.getValue());
      target.putSection(e.getKey(), child);
    }
  }

  /** swanctl's token enumerator: split on ',', trim spaces, drop empty items. */
  static List<String> splitList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String trimmed = item.strip();
      if (!trimmed.isEmpty()) {
        items.add(trimmed);
      }
    }
    return items;
  }

  private String readBlob(String folder, String file) throws ConfigItemException {
    String path = logicalPath(folder, file);
    byte[] content =
        files
            .content(path)
            .orElseThrow(() -> new ConfigItemException("file '" + path + "' not found"));
    return Pem.asText(content, "CERTIFICATE");
  }

  /** The logical path of a name in a credential folder, refusing one that leaves the folder. */
  static String logicalPath(String folder, String file) throws ConfigItemException {
    Path base = Path.of(folder);
    Path path = base.resolve(file).normalize();
    if (file.startsWith("/") || !path.startsWith(base) || path.equals(base)) {
      throw new ConfigItemException("file '" + file + "' is outside " + folder + "/");
    }
    return path.toString();
  }

  /**
   * Secret values as swanctl reads them: {@code 0x} hex, {@code 0s} base64, otherwise the text.
   * VICI carries the bytes; a decoded secret that is not text cannot travel in a {@link
   * ViciMessage} string and is refused rather than mangled.
   */
  static String decodeSecret(String value) throws ConfigItemException {
    byte[] bytes;
    try {
      if (startsWithIgnoreCase(value, "0x")) {
        bytes = HexFormat.of().parseHex(value.substring(2));
      } else if (startsWithIgnoreCase(value, "0s")) {
        bytes = Base64.getDecoder().decode(value.substring(2));
      } else {
        return value;
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigItemException(
          "secret is not valid " + (startsWithIgnoreCase(value, "0x") ? "hex" : "base64"));
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes) || text.indexOf('\0') >= 0) {
      throw new ConfigItemException("binary secrets are not supported; use a text secret");
    }
    return text;
  }

  private static List<String> checkValues(String key, List<String> values)
      throws ConfigItemException {
    for (String v : values) {
      if (v.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE) {
        throw new ConfigItemException("value of '" + key + "' exceeds " + MAX_VALUE + " bytes");
      }
      if (v.indexOf('\0') >= 0) {
        throw new ConfigItemException("value of '" + key + "' contains a NUL character");
      }
    }
    return values;
  }

  private static void checkLimits(ViciMessage message) throws ConfigItemException {
    for (Map.Entry<String, Object> e : message.entries().entrySet()) {
      checkName(e.getKey(), "key");
      if (e.getValue() instanceof String s) {
        checkValues(e.getKey(), List.of(s));
      }
    }
  }

  private static void checkName(String name, String what) throws ConfigItemException {
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
      throw new ConfigItemException(what + " longer than " + MAX_NAME + " bytes");
    }
  }

  static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
