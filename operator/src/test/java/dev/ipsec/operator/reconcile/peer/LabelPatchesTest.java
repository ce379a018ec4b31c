package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LabelPatchesTest {

  static Secret secret(String uid) {
    return new SecretBuilder().withNewMetadata().withName("psk").withUid(uid).endMetadata().build();
  }

  @Test
  void lookupsThatReadTheObjectUnlabelledTogetherPatchItOnce() throws Exception {
    LabelPatches patches = new LabelPatches();
    AtomicInteger patched = new AtomicInteger();
    Secret labelled = secret("u1");
    int threads = 8;
    // every lookup has read the object without its label before any of them patches
    CyclicBarrier allRead = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Secret>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  long ticket = patches.readBegins();
                  allRead.await(10, TimeUnit.SECONDS);
                  return patches.label(
                      "Secret/vpn/psk",
                      "u1",
                      ticket,
                      () -> {
                        patched.incrementAndGet();
                        return labelled;
                      });
                }));
      }
      for (Future<Secret> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(labelled);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(patched).hasValue(1);
    assertThat(patches.inFlight()).isZero();
  }

  @Test
  void aReadAfterThePatchThatStillFindsNoLabelPatchesAgain() {
    LabelPatches patches = new LabelPatches();
    AtomicInteger patched = new AtomicInteger();
    long first = patches.readBegins();
    patches.label("Secret/vpn/psk", "u1", first, () -> count(patched, secret("u1")));
    assertThat(patched).hasValue(1);
    // someone removed the label after the patch: a read that begins now finds none
    long later = patches.readBegins();
    patches.label("Secret/vpn/psk", "u1", later, () -> count(patched, secret("u1")));
    assertThat(patched).hasValue(2);
    // an object created again under the same name is another object, whenever it was read
    patches.label("Secret/vpn/psk", "u2", first, () -> count(patched, secret("u2")));
    assertThat(patched).hasValue(3);
  }

  @Test
  void aFailedPatchFailsEveryLookupThatWaitedForIt() throws Exception {
    LabelPatches patches = new LabelPatches();
    long ticket = patches.readBegins();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger patched = new AtomicInteger();
    java.util.function.Supplier<Secret> second = () -> count(patched, secret("u1"));
    Thread[] follower = new Thread[1];
    follower[0] =
        new Thread(
            () -> {
              try {
                patches.label("Secret/vpn/psk", "u1", ticket, second);
              } catch (RuntimeException e) {
                failures.add(e);
              }
            });
    Thread leader =
        new Thread(
            () -> {
              try {
                patches.label(
                    "Secret/vpn/psk",
                    "u1",
                    ticket,
                    () -> {
                      patched.incrementAndGet();
                      follower[0].start();
                      // fails only once the follower waits for this patch
                      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                      while (follower[0].getState() != Thread.State.WAITING
                          && System.nanoTime() < until) {
                        Thread.onSpinWait();
                      }
                      throw new IllegalStateException("gone");
                    });
              } catch (RuntimeException e) {
                failures.add(e);
              }
            });
    leader.start();
    leader.join(10_000);
    follower[0].join(10_000);

    assertThat(patched).hasValue(1);
    assertThat(failures)
        .hasSize(2)
        .allSatisfy(
            e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("gone"));
    assertThat(patches.inFlight()).isZero();
  }

  private static Secret count(AtomicInteger patched, Secret result) {
    patched.incrementAndGet();
    return result;
  }
}
