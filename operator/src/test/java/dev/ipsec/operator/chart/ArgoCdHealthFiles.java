package dev.ipsec.operator.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ipsec.operator.chart.ArgoCdHealthScenarios.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything under the chart's {@code argocd/} that is made from the one Lua source, {@code
 * argocd/health.lua}, and from {@link ArgoCdHealthScenarios}: ArgoCD's own layout ({@code
 * resource_customizations/ipsec.dev/<Kind>/health.lua}, {@code health_test.yaml}, {@code
 * testdata/}), the argocd-cm snippet and the argocd-operator snippet. They are committed, so that
 * users and ArgoCD upstream take them as files; {@code ArgoCdHealthDriftTest} fails while they
 * differ from what this makes, and {@code bin/update-argocd} writes them.
 */
final class ArgoCdHealthFiles {

  static final String SOURCE = "health.lua";
  static final String CONFIG_MAP = "health.lua.yaml";
  static final String OPERATOR = "argocd-operator-health.yaml";
  static final String CUSTOMIZATIONS = "resource_customizations";
  static final String GROUP = "ipsec.dev";
  static final List<String> KINDS = List.of("IkeGroup", "EspGroup", "IpsecPeer", "IpsecGlobal");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              // every string quoted: a timestamp or "True" stays a string for any YAML reader
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private ArgoCdHealthFiles() {}

  /** The chart's {@code argocd/} directory. */
  static Path directory() {
    return HelmChart.file("argocd");
  }

  static String source() {
    try {
      return Files.readString(directory().resolve(SOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Generated files by path relative to {@link #directory()}. */
  static Map<String, String> generate() {
    String lua = source();
    Map<String, String> files = new TreeMap<>();
    files.put(CONFIG_MAP, configMap(lua));
    files.put(OPERATOR, argocdOperator(lua));
    Map<String, List<Scenario>> byKind =
        ArgoCdHealthScenarios.all().stream().collect(Collectors.groupingBy(Scenario::kind));
    for (String kind : KINDS) {
      String dir = CUSTOMIZATIONS + "/" + GROUP + "/" + kind + "/";
      files.put(dir + "health.lua", lua);
      ObjectNode tests = YAML.createObjectNode();
      ArrayNode list = tests.putArray("tests");
      for (Scenario s : byKind.get(kind)) {
        String input = "testdata/" + s.name() + ".yaml";
        ObjectNode test = list.addObject();
        test.putObject("healthStatus").put("status", s.status()).put("message", s.message());
        test.put("inputPath", input);
        files.put(dir + input, yaml(s.resource()));
      }
      files.put(dir + "health_test.yaml", yaml(tests));
    }
    return files;
  }

  /** Writes what {@link #generate()} makes and removes generated files it no longer makes. */
  static void write() throws IOException {
    Path dir = directory();
    Map<String, String> files = generate();
    for (String stale : committedCustomizations()) {
      if (!files.containsKey(stale)) {
        Files.delete(dir.resolve(stale));
      }
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = dir.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, f.getValue());
    }
  }

  /** The files under {@code resource_customizations/}, relative to {@link #directory()}. */
  static List<String> committedCustomizations() throws IOException {
    Path root = directory().resolve(CUSTOMIZATIONS);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> directory().relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  private static String configMap(String lua) {
    StringBuilder b =
        new StringBuilder(
            """
            # GENERATED from health.lua by bin/update-argocd: edit health.lua, not this file.
            #
            # ArgoCD health checks for the ipsec.dev kinds, for the argocd-cm ConfigMap: merge the
            # data below into it, or into the argo-cd Helm chart's `configs.cm`. One script serves
            # all four kinds; the YAML anchor only avoids pasting it four times. What it reports is
            # described at the top of health.lua and in docs/gitops.md. The operator writes status
            # only on transitions, so nothing needs ignoreDifferences.
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
              namespace: argocd
              labels:
                app.kubernetes.io/part-of: argocd
            data:
            """);
    for (String kind : KINDS) {
      b.append("  resource.customizations.health.").append(GROUP).append('_').append(kind);
      if (kind.equals(KINDS.get(0))) {
        b.append(": &health |\n").append(indent(lua, 4));
      } else {
        b.append(": *health\n");
      }
    }
    return b.toString();
  }

  private static String argocdOperator(String lua) {
    StringBuilder b =
        new StringBuilder(
            """
            # GENERATED from health.lua by bin/update-argocd: edit health.lua, not this file.
            #
            # The ArgoCD health checks for the ipsec.dev kinds in argocd-operator's form: merge
            # spec.resourceHealthChecks into your ArgoCD resource (the operator writes them into
            # argocd-cm). One script serves all four kinds; the YAML anchor only avoids pasting it
            # four times.
            apiVersion: argoproj.io/v1beta1
            kind: ArgoCD
            metadata:
              name: argocd
              namespace: argocd
            spec:
              resourceHealthChecks:
            """);
    for (String kind : KINDS) {
      b.append("    - group: ").append(GROUP).append('\n');
      b.append("      kind: ").append(kind).append('\n');
      if (kind.equals(KINDS.get(0))) {
        b.append("      check: &health |\n").append(indent(lua, 8));
      } else {
        b.append("      check: *health\n");
      }
    }
    return b.toString();
  }

  /** A literal block's lines: indented, blank lines left empty (no trailing spaces). */
  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines()
        .map(line -> line.isBlank() ? "" : pad + line)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
