package dev.ipsec.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.ipsec.operator.api.ProjectFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The chart in {@code charts/ipsec-operator}, rendered with the Helm library that helm-java ships
 * (Helm's own Go code, loaded in-process: no helm binary, no download). Public for the end-to-end
 * RBAC proof, which compares the rendered rules with the operator's recorded requests.
 */
public final class HelmChart {
  public static final String RELEASE = "ipsec";
  public static final String NAMESPACE = "ipsec-system";

  /**
   * The cluster version {@code helm template} renders for, as {@code --kube-version} does: the
   * Kubernetes of the pinned kubectl (bin/install-kubectl). Without it the Helm library assumes
   * v1.20, which the chart's kubeVersion refuses.
   */
  public static final String KUBE_VERSION = "v1.35.2";

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private HelmChart() {}

  static Path directory() {
    return ProjectFiles.root().resolve("charts/ipsec-operator");
  }

  static Path file(String relative) {
    return directory().resolve(relative);
  }

  /** {@code helm template} with the chart's defaults plus the given values (YAML, may be empty). */
  public static String template(String valuesYaml) {
    TemplateCommand command =
        new Helm(directory())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (!valuesYaml.isBlank()) {
      command = command.withValuesFile(writeTemporary(valuesYaml));
    }
    return command.call();
  }

  /** {@code helm template} with a values file of the repository (e.g. an example's). */
  static String template(Path valuesFile) {
    return new Helm(directory())
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION)
        .withValuesFile(valuesFile)
        .call();
  }

  /**
   * Every rendered object, deserialized by fabric8 into its typed model class (Deployment,
   * ClusterRole, ...); kinds fabric8 does not know (ServiceMonitor) become generic resources.
   */
  public static Rendered render(String valuesYaml) {
    return parse(template(valuesYaml));
  }

  static Rendered parse(String manifest) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifest)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document, HasMetadata.class));
    }
    return new Rendered(List.copyOf(objects));
  }

  private static Path writeTemporary(String valuesYaml) {
    try {
      Path file = Files.createTempFile("ipsec-operator-values", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
