package dev.ipsec.operator.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.state.LogSignal.Kind;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Classification of the level 0-1 lines charon 5.9.8 really logs
 * (docs/reference/strongswan-in-tests.md §3-§8).
 */
class LogSignalTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sending DPD request | DPD_REQUEST |",
        "retransmit 1 of request with message ID 4 | RETRANSMIT |",
        "giving up after 2 retransmits | GAVE_UP |",
        "DPD check timed out, enforcing DPD action | DPD_TIMED_OUT |",
        "restarting CHILD_SA c1 | RESTARTING_CHILD |",
        "updated vici connection: tun | CONNECTION_CONFIG_CHANGED |",
        "received AUTHENTICATION_FAILED notify error | FAILURE | AUTHENTICATION_FAILED",
        "tried 1 shared key for 'b.test' - 'a.test', but MAC mismatched | FAILURE |"
            + " AUTHENTICATION_FAILED",
        "no shared key found for 'a.test' - 'b.test' | FAILURE | AUTHENTICATION_FAILED",
        "received NO_PROPOSAL_CHOSEN notify error | FAILURE | NO_PROPOSAL_CHOSEN",
        "no acceptable proposal found | FAILURE | NO_PROPOSAL_CHOSEN",
        "received TS_UNACCEPTABLE notify, no CHILD_SA built | FAILURE | TS_UNACCEPTABLE",
        "establishing IKE_SA failed, peer not responding | FAILURE | PEER_NOT_RESPONDING",
        "peer not responding, trying again (2/0) | FAILURE | PEER_NOT_RESPONDING",
        "deleting IKE_SA tun[1] between 192.0.2.1[a.test]...192.0.2.2[b.test] | NONE |",
        "closing CHILD_SA c1{1} with SPIs 7a5c457a_i (4116 bytes) 27af7f74_o (4116 bytes) | NONE |",
        "IKE_SA deleted | NONE |",
        "initiating IKE_SA tun[2] to 192.0.2.2 | NONE |",
        "CHILD_SA rekey collision lost, deleting redundant child c1{5} | NONE |",
      })
  void classifies(String msg, Kind kind, FailureReason reason) {
    LogSignal signal = LogSignal.classify(msg.trim());
    assertThat(signal.kind()).isEqualTo(kind);
    assertThat(signal.failure()).isEqualTo(reason);
  }
}
