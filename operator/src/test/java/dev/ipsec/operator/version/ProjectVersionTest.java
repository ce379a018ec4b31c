package dev.ipsec.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProjectVersionTest {

  @Test
  void isTheMavenProjectVersion() {
    // surefire passes ${project.version} of operator/pom.xml (systemPropertyVariables)
    String expected = System.getProperty("project.version");
    assertThat(expected).isNotBlank().doesNotContain("${");
    assertThat(ProjectVersion.current()).isEqualTo(expected).isNotEqualTo(ProjectVersion.UNKNOWN);
  }

  @Test
  void anUnfilteredOrMissingValueIsNoVersion() {
    assertThat(ProjectVersion.fromFiltered("${project.version}")).isEqualTo(ProjectVersion.UNKNOWN);
    assertThat(ProjectVersion.fromFiltered(null)).isEqualTo(ProjectVersion.UNKNOWN);
    assertThat(ProjectVersion.fromFiltered(" ")).isEqualTo(ProjectVersion.UNKNOWN);
    assertThat(ProjectVersion.fromFiltered("1.2.3 ")).isEqualTo("1.2.3");
  }
}
