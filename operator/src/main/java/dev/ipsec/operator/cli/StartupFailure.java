package dev.ipsec.operator.cli;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Why {@code run} could not start, as one line for a person (what failed, which file or server,
 * what to do) and a distinct exit code, instead of a stack trace; the cause is kept for {@code
 * --debug}.
 */
final class StartupFailure extends Exception {

  /** The kubeconfig cannot be read or used. */
  static final int KUBECONFIG = 3;

  /** The API server cannot be reached, or refuses the credentials. */
  static final int API_SERVER = 4;

  /** The operator could not start against a reachable server (CRDs, permissions, ports). */
  static final int OPERATOR = 5;

  private final int exitCode;

  StartupFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /**
   * The first line of the innermost message of {@code error}'s causes, for a one-line report; an
   * API server's answer as its request, code and message, without fabric8's dump of the Status.
   */
  static String rootMessage(Throwable error) {
    Throwable root = error;
    String message = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof KubernetesClientException k && k.getStatus() != null) {
        return answer(k);
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    String text = message == null ? root.getClass().getSimpleName() : message;
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }

  /** "POST at: https://.../secrets: 404 NotFound: the server could not find the resource". */
  private static String answer(KubernetesClientException e) {
    Status status = e.getStatus();
    String request = e.getMessage() == null ? "" : e.getMessage();
    int end = request.indexOf(". Message:");
    request = end < 0 ? "" : request.substring(0, end).replace("Failure executing: ", "") + ": ";
    return request
        + e.getCode()
        + (status.getReason() == null ? "" : " " + status.getReason())
        + (status.getMessage() == null
            ? ""
            : ": " + status.getMessage().lines().findFirst().orElse(""));
  }
}
