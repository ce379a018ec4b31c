package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void theReconcilerThreadsDefaultToFourPerCoreBetweenFourAndFifty() {
    int cores = Runtime.getRuntime().availableProcessors();

    int threads = OperatorSettings.defaults().reconcileThreads();

    assertThat(threads).isEqualTo(Math.max(4, Math.min(50, 4 * cores)));
    assertThat(OperatorSettings.defaults().withReconcileThreads(3).reconcileThreads()).isEqualTo(3);
  }

  @Test
  void noReconcilerThreadIsRefused() {
    assertThatThrownBy(() -> OperatorSettings.defaults().withReconcileThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconcile threads must be at least 1");
  }
}
