package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README's RBAC table lists every rule of {@link OperatorPermissions}. */
class OperatorPermissionsTest {

  @Test
  void readmeNamesEveryResourceAndVerb() throws IOException {
    String readme = Files.readString(ProjectFiles.root().resolve("README.md"));
    String table = readme.substring(readme.indexOf("RBAC it needs"));
    for (OperatorPermissions.Rule rule : OperatorPermissions.RULES) {
      String resource = rule.resource().endsWith("/status") ? "*/status" : rule.resource();
      String line =
          table
              .lines()
              .filter(
                  l ->
                      l.startsWith("| `" + rule.apiGroup() + "`")
                          || (rule.apiGroup().isEmpty() && l.startsWith("| `\"\"`")))
              .filter(l -> l.contains("`" + resource + "`"))
              .findFirst()
              .orElse(null);
      assertThat(line).as(rule.toString()).isNotNull();
      assertThat(line).as(rule.toString()).contains(String.join(", ", rule.verbs()));
    }
    for (OperatorPermissions.Rule rule : OperatorPermissions.CA_SECRET_RULES) {
      assertThat(table.lines().filter(l -> l.contains("(the CA Secret)")))
          .as(rule.toString())
          .anyMatch(
              l ->
                  l.contains("`" + rule.resource() + "`")
                      && l.endsWith(String.join(", ", rule.verbs()) + " |"));
    }
  }
}
