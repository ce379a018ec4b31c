package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The referenced cache's first sight of an object reconciles its peers only when one of them may
 * not have read it as it arrives.
 */
class FirstSightTest {

  static final String PSK = "Secret/vpn/psk";

  final FirstSight sight = new FirstSight();
  final AtomicInteger told = new AtomicInteger();

  void read(String content) {
    sight.begin(PSK);
    sight.end(PSK, content);
  }

  @Test
  void anArrivalWithTheContentEveryReadFoundTellsNobody() {
    read("uid:a");
    read("uid:a");
    sight.arrived(PSK, "uid:a", told::incrementAndGet);
    assertThat(told).hasValue(0);
    assertThat(sight.pending()).isZero();
  }

  @Test
  void anArrivalWithAnotherContentThanOneReadOrNothingReadTellsThePeers() {
    read("uid:a");
    read("uid:b");
    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    assertThat(told).as("a peer holds the older content").hasValue(1);

    read(ReferencedContent.MISSING);
    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    assertThat(told).as("a peer found nothing").hasValue(2);

    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    assertThat(told).as("created with the label: nobody read it").hasValue(3);
  }

  @Test
  void anArrivalDuringAReadWaitsForItsEnd() {
    read("uid:a");
    sight.begin(PSK); // a GET in flight, perhaps of the content before a change
    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    assertThat(told).as("undecided").hasValue(0);
    sight.end(PSK, "uid:a");
    assertThat(told).hasValue(1);

    read("uid:b");
    sight.begin(PSK);
    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    sight.end(PSK, "uid:b");
    assertThat(told).as("the read in flight found the same").hasValue(1);
    assertThat(sight.pending()).isZero();
  }

  @Test
  void aFailedReadTellsNothingAndADepartureForgetsWhatWasRead() {
    sight.begin(PSK);
    sight.end(PSK, null); // failed: its reconcile is retried and reads again
    read("uid:a");
    sight.left(PSK); // every peer is reconciled for the departure
    read("uid:b");
    sight.arrived(PSK, "uid:b", told::incrementAndGet);
    assertThat(told).hasValue(0);
  }
}
