package dev.ipsec.operator.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a full load reads from charon: the connections as {@code list-conns} streams them, and no
 * answer that holds every item in one message ({@code get-conns}, {@code get-shared}), which charon
 * discards past 512 KiB. The fake charon fails those two reads.
 */
class ConfigApplierFullLoadTest {

  private static final String CONFIG =
      "connections { site-b { remote_addrs = 192.0.2.2\n"
          + " children { net { local_ts = 198.51.100.0/24 } } } }\n"
          + "secrets { ike-site-b { id-remote-0 = b.test\n secret = pw } }\n";

  @TempDir Path dir;

  private DesiredConfig desired() throws Exception {
    Files.writeString(dir.resolve("swanctl.conf"), CONFIG);
    TestManifests.write(dir, "r1");
    return new ConfigDirectory(dir).read(TestManifests.verifiedView(dir));
  }

  @Test
  void aFullLoadStreamsTheConnectionsAndUnloadsTheOnesTheFilesDoNotDefine() throws Exception {
    FakeCharonChannel charon = FakeCharonChannel.holding("stale", "site-b");
    ConfigApplier applier = new ConfigApplier(charon, Clock.systemUTC());

    applier.apply(desired(), true);

    assertThat(charon.sent)
        .containsExactly(
            "list-conns", "clear-creds", "load-shared", "load-conn", "unload-conn", "terminate");
    assertThat(applier.status().connections()).extracting("name").containsExactly("site-b");
    assertThat(applier.status().secretsLoaded()).containsExactly("ike-site-b");
  }

  @Test
  void afterTheFullLoadAnUnchangedConfigurationSendsNothing() throws Exception {
    FakeCharonChannel charon = FakeCharonChannel.holding();
    ConfigApplier applier = new ConfigApplier(charon, Clock.systemUTC());
    DesiredConfig desired = desired();
    applier.apply(desired, true);
    int mark = charon.sent.size();

    assertThat(applier.apply(desired, false).actions()).isEmpty();
    assertThat(charon.sent.subList(mark, charon.sent.size())).isEmpty();
  }
}
