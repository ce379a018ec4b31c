package dev.ipsec.operator.cli;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where {@code run} finds its API server: the kubeconfig given, else fabric8's search ({@code
 * $KUBECONFIG}, {@code ~/.kube/config}, the in-cluster service account). A file that cannot be read
 * or used is a {@link StartupFailure} naming the file, not an exception.
 */
final class ClusterConfig {

  private ClusterConfig() {}

  static Config load(Path kubeconfig, String context) throws StartupFailure {
    if (kubeconfig == null) {
      return context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
    }
    String contents;
    try {
      contents = Files.readString(kubeconfig);
    } catch (NoSuchFileException e) {
      throw unusable(kubeconfig, "no such file", e);
    } catch (AccessDeniedException e) {
      throw unusable(kubeconfig, "permission denied", e);
    } catch (IOException e) {
      throw unusable(kubeconfig, StartupFailure.rootMessage(e), e);
    }
    try {
      return Config.fromKubeconfig(context, contents, kubeconfig.toString());
    } catch (RuntimeException e) {
      throw unusable(kubeconfig, "not a usable kubeconfig: " + StartupFailure.rootMessage(e), e);
    }
  }

  private static StartupFailure unusable(Path kubeconfig, String why, Throwable cause) {
    return new StartupFailure(
        StartupFailure.KUBECONFIG,
        "cannot read kubeconfig "
            + kubeconfig
            + ": "
            + why
            + "; give a kubeconfig file with --kubeconfig, or none to use $KUBECONFIG,"
            + " ~/.kube/config or the in-cluster service account",
        cause);
  }
}
