package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.Patterns;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one peer's rendering was made from: the IpsecPeer's generation and the Secrets (name and
 * uid) whose values it holds. Written as comment lines at the head of the peer's {@code
 * conf.d/<peer>.conf}, so the provenance travels with the files:
 *
 * <pre>
 * # ipsec.dev/generation: 7
 * # ipsec.dev/secret: site-b-psk 0f6c1d0e-...
 * </pre>
 *
 * <p>Why in the file and not in an annotation or the manifests: the operator keeps a peer's last
 * valid rendering running by carrying its files, byte for byte, into the next revision; a header
 * inside the file is carried with it and can never disagree with it, survives a restart of the
 * operator (which reads it back from its shards), and needs no second object kept in step. The
 * settings format ignores comments, so neither the agent nor charon sees a difference; the
 * manifests digest the bytes as they are. Names and uids of Secrets are not secret, and the header
 * stands in a ConfigMap like the rest of the file.
 *
 * @param generation the IpsecPeer's {@code metadata.generation}; null when the resource has none
 *     (files rendered offline from YAML without it)
 * @param secrets Secret name -> uid ({@code ""} when unknown) of every Secret the rendering read
 */
public record RenderedFrom(Long generation, SortedMap<String, String> secrets) {

  private static final String GENERATION = "# ipsec.dev/generation: ";
  private static final String SECRET = "# ipsec.dev/secret: ";
  private static final Pattern NAME = Pattern.compile(Patterns.OBJECT_NAME);
  private static final Pattern UID = Pattern.compile("[0-9A-Za-z-]{1,64}");
  private static final Pattern SECRET_LINE =
      Pattern.compile(Pattern.quote(SECRET) + "(\\S+)(?: (\\S+))?");

  public RenderedFrom {
    secrets = Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
  }

  /**
   * The comment lines, each ending in a newline. A name or uid outside the API's grammar (which no
   * object in a cluster has) is left out rather than written: nothing here may end a comment line.
   */
  public String header() {
    StringBuilder out = new StringBuilder();
    if (generation != null) {
      out.append(GENERATION).append(generation).append('\n');
    }
    secrets.forEach(
        (name, uid) -> {
          if (NAME.matcher(name).matches()) {
            out.append(SECRET).append(name);
            if (UID.matcher(uid).matches()) {
              out.append(' ').append(uid);
            }
            out.append('\n');
          }
        });
    return out.toString();
  }

  /**
   * Reads the header back from a rendered {@code conf.d} file: its leading comment lines. Empty
   * when the file has none of them (written by an operator before this header existed).
   */
  public static Optional<RenderedFrom> read(String confFile) {
    Long generation = null;
    SortedMap<String, String> secrets = new TreeMap<>();
    boolean any = false;
    for (String line : confFile.split("\n", -1)) {
      if (!line.startsWith("#")) {
        break;
      }
      if (line.startsWith(GENERATION)) {
        try {
          generation = Long.parseLong(line.substring(GENERATION.length()));
          any = true;
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      } else {
        Matcher m = SECRET_LINE.matcher(line);
        if (m.matches()) {
          secrets.put(m.group(1), m.group(2) == null ? "" : m.group(2));
          any = true;
        }
      }
    }
    return any ? Optional.of(new RenderedFrom(generation, secrets)) : Optional.empty();
  }
}
