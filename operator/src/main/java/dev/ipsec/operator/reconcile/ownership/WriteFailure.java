package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request about one of a gateway's objects that the API server refused, in the words users get to
 * see (condition and Event): the object by kind and name, what was asked, the HTTP code, the
 * server's Status reason and message, and what kind of refusal it is ({@link #reason}).
 *
 * <p>The server's message is the server's: RBAC, quota and validation messages name objects and
 * fields, but an admission webhook or a policy's message expression may quote what it was sent,
 * anywhere in a file of a Secret shard (a PSK inside its {@code secrets.d} line), and may word its
 * message as it likes. About a Secret, only kube-apiserver's RBAC denial, worded from names alone,
 * is kept, and only when none of those names is found in the Secret's values (a webhook could word
 * a message so too); any other is withheld, in the condition, the Event and the log alike. The
 * kind, name, verb, code and reason still say what was refused.
 *
 * @param verb create, update, delete or get
 * @param reason {@link #FORBIDDEN}, {@link #INVALID}, {@link #ADMISSION_DENIED} or {@link
 *     #API_ERROR}
 * @param statusReason the Status reason the server gave ({@code Forbidden}, {@code Invalid}...),
 *     empty when it gave none
 */
public record WriteFailure(
    String kind,
    String name,
    String verb,
    int code,
    String reason,
    String statusReason,
    String message) {

  /** 403: RBAC (a Role not granted or not in effect yet), a quota, a namespace being deleted. */
  public static final String FORBIDDEN = "Forbidden";

  /** 422: the object does not pass the server's validation. */
  public static final String INVALID = "Invalid";

  /** An admission webhook or a ValidatingAdmissionPolicy denied the request, whatever its code. */
  public static final String ADMISSION_DENIED = "AdmissionDenied";

  /** Any other refusal. */
  public static final String API_ERROR = "ApiError";

  /**
   * kube-apiserver's RBAC denial of a request about a Secret, whole: only its quoted parts (the
   * object, the user, the verb, the namespace) vary.
   */
  private static final Pattern RBAC_DENIAL =
      Pattern.compile(
          "secrets \"([^\"]*)\" is forbidden: User \"([^\"]*)\" cannot (\\S+) resource"
              + " \"secrets\" in API group \"\" in the namespace \"([^\"]*)\"");

  /**
   * Names in an RBAC denial shorter than this are not looked for in a Secret's values: a namespace
   * such as "vpn" is found in configuration by chance.
   */
  private static final int SHORTEST_NAME_LOOKED_FOR = 6;

  static final String WITHHELD =
      "(the server's message about a Secret is not repeated: it may quote the Secret's data)";

  /**
   * Whether the operator tells users about {@code e} instead of failing the reconcile: every
   * refusal that stays until someone acts (403, 422, an admission denial, 400, a 5xx the client has
   * already retried). Not a conflict (409: a write raced another, retried at once), a missing
   * object (404: deleted meanwhile) or throttling (429), which pass by themselves, nor a request
   * that reached no server (code 0).
   */
  public static boolean isReported(KubernetesClientException e) {
    int code = e.getCode();
    return code >= HttpURLConnection.HTTP_BAD_REQUEST
        && code != HttpURLConnection.HTTP_NOT_FOUND
        && code != HttpURLConnection.HTTP_CONFLICT
        && code != 429;
  }

  /** The refusal of {@code verb} on {@code object}, {@code e} being {@linkplain #isReported}. */
  public static WriteFailure of(HasMetadata object, String verb, KubernetesClientException e) {
    return of(
        object.getKind(),
        object.getMetadata().getName(),
        object instanceof Secret secret ? secret : null,
        verb,
        e);
  }

  /**
   * The refusal of {@code verb} on the object {@code kind}/{@code name}.
   *
   * @param sent the Secret the request carried, whose values the message must not repeat; null when
   *     it carried none
   */
  public static WriteFailure of(
      String kind, String name, Secret sent, String verb, KubernetesClientException e) {
    Status status = e.getStatus();
    String statusReason =
        status == null || status.getReason() == null ? "" : status.getReason().strip();
    String message =
        status == null || status.getMessage() == null || status.getMessage().isBlank()
            ? "(no message)"
            : status.getMessage();
    String reason = reason(e.getCode(), message);
    if (sent != null && !namesAlone(message, sent)) {
      message = WITHHELD;
    }
    return new WriteFailure(
        kind, name, verb, e.getCode(), reason, statusReason, ClusterMessages.oneLine(message));
  }

  /** What kind of refusal a server's answer is. */
  static String reason(int code, String message) {
    if (deniedByAdmission(message)) {
      return ADMISSION_DENIED;
    }
    if (code == HttpURLConnection.HTTP_FORBIDDEN) {
      return FORBIDDEN;
    }
    return code == 422 ? INVALID : API_ERROR;
  }

  /**
   * kube-apiserver's words for a denial by an admission webhook ({@code admission webhook "x"
   * denied the request: ...}, any code the webhook chose, 400 by default) and by a
   * ValidatingAdmissionPolicy ({@code ValidatingAdmissionPolicy 'p' with binding 'b' denied
   * request: ...}, 403 or 422 as the policy says).
   */
  private static boolean deniedByAdmission(String message) {
    return (message.contains("admission webhook") && message.contains("denied the request"))
        || (message.contains("ValidatingAdmissionPolicy") && message.contains("denied request"));
  }

  /** "ConfigMap gw-config-0: create refused with 403 Forbidden: ...", the line users read. */
  public String describe() {
    return kind
        + " "
        + name
        + ": "
        + verb
        + " refused with "
        + code
        + (statusReason.isEmpty() ? "" : " " + statusReason)
        + ": "
        + message;
  }

  /**
   * Whether {@code message} is kube-apiserver's RBAC denial, worded from names alone, and none of
   * those names is found in the Secret's values (a webhook could word a message so too).
   */
  private static boolean namesAlone(String message, Secret secret) {
    Matcher rbac = RBAC_DENIAL.matcher(message);
    if (!rbac.matches()) {
      return false;
    }
    List<String> values = values(secret);
    for (int group = 1; group <= rbac.groupCount(); group++) {
      String name = rbac.group(group);
      if (name.length() >= SHORTEST_NAME_LOOKED_FOR
          && values.stream().anyMatch(v -> v.contains(name))) {
        return false;
      }
    }
    return true;
  }

  /** Each value of the Secret as sent (base64) and decoded. */
  private static List<String> values(Secret secret) {
    List<String> values = new ArrayList<>();
    for (String encoded : nullSafe(secret.getData()).values()) {
      if (encoded == null) {
        continue;
      }
      values.add(encoded);
      try {
        values.add(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException notBase64) {
        // not base64: the server refuses it, and the value as sent is already looked for
      }
    }
    nullSafe(secret.getStringData()).values().stream().filter(v -> v != null).forEach(values::add);
    return values;
  }

  private static Map<String, String> nullSafe(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
