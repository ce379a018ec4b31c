package dev.ipsec.operator.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lanes served in turn, first in first out within a lane. */
class LaneQueueTest {

  /** A task whose lane is the text before its dash: "peer-1" is in lane "peer". */
  record Task(String name) implements Runnable {
    @Override
    public void run() {}

    @Override
    public String toString() {
      return name;
    }
  }

  static LaneQueue queue() {
    return new LaneQueue(t -> t.toString().substring(0, t.toString().indexOf('-')));
  }

  static List<String> names(List<Runnable> tasks) {
    return tasks.stream().map(Runnable::toString).toList();
  }

  @Test
  void aTaskOfAnotherLaneWaitsForOneTaskOfEachLaneNotForAllOfThem() {
    LaneQueue q = queue();
    for (int i = 1; i <= 4; i++) {
      q.offer(new Task("peer-" + i));
    }
    q.offer(new Task("gateway-1"));
    q.offer(new Task("gateway-2"));

    List<Runnable> taken = new ArrayList<>();
    while (!q.isEmpty()) {
      taken.add(q.poll());
    }

    assertThat(names(taken))
        .containsExactly("peer-1", "gateway-1", "peer-2", "gateway-2", "peer-3", "peer-4");
    assertThat(q.poll()).isNull();
    assertThat(q.lanesSeen()).containsExactlyInAnyOrder("peer", "gateway");
  }

  @Test
  void removeDrainAndIterateKeepTheOrderAndTheCount() {
    LaneQueue q = queue();
    Task peer2 = new Task("peer-2");
    q.offer(new Task("peer-1"));
    q.offer(peer2);
    q.offer(new Task("gateway-1"));

    assertThat(names(List.copyOf(q))).containsExactly("peer-1", "gateway-1", "peer-2");
    assertThat(q.remove(peer2)).isTrue();
    assertThat(q.remove(peer2)).isFalse();
    assertThat(q).hasSize(2);
    assertThat(q.peek()).hasToString("peer-1");

    List<Runnable> drained = new ArrayList<>();
    assertThat(q.drainTo(drained)).isEqualTo(2);
    assertThat(names(drained)).containsExactly("peer-1", "gateway-1");
    assertThat(q).isEmpty();
  }

  @Test
  void aPoolRunsTheLanesInTurn() throws Exception {
    LaneQueue q = queue();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, q);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      // the one thread is busy while the others queue up
      pool.execute(
          new Named(
              "hold-0",
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
      for (int i = 1; i <= 3; i++) {
        String name = "peer-" + i;
        pool.execute(new Named(name, () -> ran.add(name)));
      }
      pool.execute(new Named("gateway-1", () -> ran.add("gateway-1")));
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(ran).containsExactly("peer-1", "gateway-1", "peer-2", "peer-3");
  }

  @Test
  void takeWaitsForATask() throws Exception {
    LaneQueue q = queue();
    Thread offering =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              q.offer(new Task("peer-1"));
            });
    offering.start();

    assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
    assertThat(q.take()).hasToString("peer-1");
    offering.join();
  }

  record Named(String name, Runnable body) implements Runnable {
    @Override
    public void run() {
      body.run();
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
