package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.render.FieldError;
import org.junit.jupiter.api.Test;

class ReportedErrorsTest {

  @Test
  void aLaterStageDoesNotRepeatAFieldAnEarlierOneReported() {
    ReportedErrors errors = new ReportedErrors();
    errors.add("IkeGroup/ike", new FieldError("spec.lifetime", "must be at most 86400"));
    errors.add("IpsecPeer/p", new FieldError("spec.tunnels", "tunnel ids must be unique"));
    errors.add("IpsecPeer/p", new FieldError("spec", "a rule of the whole spec"));
    errors.nextStage();
    errors.add("IkeGroup/ike", new FieldError("spec.lifetime", "must be between 0 and 86400"));
    errors.add("IpsecPeer/p", new FieldError("spec.tunnels[1].id", "duplicate tunnel id 1"));
    // a top-level field covers only itself
    errors.add("IpsecPeer/p", new FieldError("spec.ikeGroup", "missing ikeGroup"));
    // the same field of another resource is another mistake
    errors.add("IkeGroup/other", new FieldError("spec.lifetime", "must be between 0 and 86400"));
    // within one stage every distinct error stays, and an identical one is dropped
    errors.add("IpsecPeer/p", new FieldError("spec.ikeGroup", "another problem"));
    errors.add("IpsecPeer/p", new FieldError("spec.ikeGroup", "missing ikeGroup"));

    assertThat(errors.lines())
        .containsExactly(
            "IkeGroup/ike: spec.lifetime: must be at most 86400",
            "IpsecPeer/p: spec.tunnels: tunnel ids must be unique",
            "IpsecPeer/p: spec: a rule of the whole spec",
            "IpsecPeer/p: spec.ikeGroup: missing ikeGroup",
            "IkeGroup/other: spec.lifetime: must be between 0 and 86400",
            "IpsecPeer/p: spec.ikeGroup: another problem");
  }

  @Test
  void aFieldCoversTheFieldsInsideItButNotItsNamesakes() {
    assertThat(ReportedErrors.covers("spec.tunnels", "spec.tunnels[0].id")).isTrue();
    assertThat(ReportedErrors.covers("spec.tunnels[0]", "spec.tunnels[0].local.port")).isTrue();
    assertThat(ReportedErrors.covers("spec.tunnels", "spec.tunnelsExtra")).isFalse();
    assertThat(ReportedErrors.covers("spec", "spec.tunnels")).isFalse();
    assertThat(ReportedErrors.covers("spec", "spec")).isTrue();
  }
}
