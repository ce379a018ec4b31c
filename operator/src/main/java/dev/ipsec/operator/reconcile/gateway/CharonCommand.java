package dev.ipsec.operator.reconcile.gateway;

import java.util.List;

/**
 * The charon container's command: charon runs only on the strongswan.conf the operator rendered.
 *
 * <p>charon reads strongswan.conf itself, from the ConfigMap {@code <gw>-strongswan}; anyone who
 * can update that ConfigMap could otherwise have charon run with settings of their own ({@code
 * charon.start-scripts}, other plugins) at its next start. The operator puts the file's SHA-256
 * into the pod template ({@link #DIGEST_ENV}); the command copies the mounted file to {@link
 * #PINNED_CONF}, checks the copy against that digest, and refuses to start charon, with a message
 * in the container log, when it does not match. The copy, not the mounted file, is what charon
 * reads: the kubelet can swap the mounted file at any time, and charon reads its settings again
 * whenever it is told to reload them.
 *
 * <p>A refused start makes the container exit 1; the kubelet restarts it with its back-off, and it
 * starts once the operator has written its ConfigMap back (drift is reverted) and the kubelet has
 * projected it. The template's digest changes with the file, so a new strongswan.conf rolls the
 * pods, as the template annotation alone did before.
 *
 * <p>{@code sh}, {@code cp} and {@code sha256sum} come with the image (Debian, coreutils). The
 * script ends by exec'ing charon, so charon is the container's process and gets its signals.
 */
public final class CharonCommand {

  /** charon in Debian's strongswan-charon package, the image's former entry point. */
  public static final String CHARON = "/usr/lib/ipsec/charon";

  /** The lowercase hex SHA-256 of the strongswan.conf the operator rendered. */
  public static final String DIGEST_ENV = "STRONGSWAN_CONF_SHA256";

  /** Where charon reads the checked copy: inside the container, beside nothing else. */
  public static final String PINNED_CONF = "/run/strongswan-pinned.conf";

  static final String SCRIPT =
      """
      set -eu
      : "${STRONGSWAN_CONF:?is not set}" "${%2$s:?is not set}"
      cp "$STRONGSWAN_CONF" %3$s
      if ! printf '%%s  %%s\\n' "$%2$s" %3$s | sha256sum -c --status 2>/dev/null; then
        echo "refusing to start charon: $STRONGSWAN_CONF is not the strongswan.conf the\
       operator rendered for this pod (SHA-256 $(sha256sum < %3$s | cut -d' ' -f1), expected\
       $%2$s); charon starts once the operator has restored its ConfigMap" >&2
        exit 1
      fi
      STRONGSWAN_CONF=%3$s
      export STRONGSWAN_CONF
      exec %1$s
      """
          .formatted(CHARON, DIGEST_ENV, PINNED_CONF);

  private CharonCommand() {}

  /** The container's command ({@code sh -c}); it takes no arguments. */
  public static List<String> command() {
    return List.of("/bin/sh", "-c", SCRIPT, "charon");
  }
}
