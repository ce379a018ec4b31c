package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.apply.ConfigApplier;
import dev.ipsec.operator.agent.apply.CountingViciChannel;
import dev.ipsec.operator.agent.apply.ViciChannel;
import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.Exec;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the agent loads must look to charon exactly like {@code swanctl --load-all} of the same
 * directory: same {@code --list-conns} output, same shared secret ids, same certificates.
 */
@RequiresCharon
class SwanctlEquivalenceCharonTest {

  @TempDir Path tmp;

  @Test
  void agentLoadsWhatSwanctlLoads() throws Exception {
    Path conf = tmp.resolve("swanctl");
    writeConfig(conf);

    try (NetnsLab lab = NetnsLab.create("ag")) {
      String ns = lab.namespace("eq");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient client = charon.newClient()) {

        ExecResult swanctl =
            lab.exec(
                ns,
                Duration.ofSeconds(30),
                "env",
                "SWANCTL_DIR=" + conf,
                "swanctl",
                "--load-all",
                "--uri",
                charon.viciUri());
        assertThat(swanctl.exitCode()).as(swanctl.stderr() + swanctl.stdout()).isZero();
        String connsBySwanctl = charon.swanctl("--list-conns").orThrow("list-conns").stdout();
        String certsBySwanctl =
            withoutTimeLeft(charon.swanctl("--list-certs").orThrow("list-certs").stdout());
        List<String> sharedBySwanctl = client.call("get-shared", ViciMessage.empty()).list("keys");
        assertThat(connsBySwanctl).contains("tun-psk:", "tun-cert:", "CN=Equivalence CA");

        // clean slate, then the agent's loader on the same charon
        for (String conn : client.call("get-conns", ViciMessage.empty()).list("conns")) {
          client.call("unload-conn", ViciMessage.empty().put("name", conn));
        }
        client.call("clear-creds", ViciMessage.empty());
        assertThat(charon.swanctl("--list-conns").orThrow("list-conns").stdout()).isBlank();

        CountingViciChannel channel = new CountingViciChannel(ViciChannel.over(client));
        var result =
            new ConfigApplier(channel, Clock.systemUTC())
                .apply(new ConfigDirectory(conf).read(TestManifests.verifiedView(conf)), true);

        assertThat(result.failures()).isZero();
        assertThat(charon.swanctl("--list-conns").orThrow("list-conns").stdout())
            .isEqualTo(connsBySwanctl);
        assertThat(withoutTimeLeft(charon.swanctl("--list-certs").orThrow("list-certs").stdout()))
            .isEqualTo(certsBySwanctl);
        assertThat(client.call("get-shared", ViciMessage.empty()).list("keys"))
            .containsExactlyInAnyOrderElementsOf(sharedBySwanctl);
        assertThat(channel.counts())
            .containsEntry("load-conn", 2L)
            .containsEntry("load-shared", 2L)
            .containsEntry("load-cert", 2L)
            .containsEntry("load-key", 1L);
      }
    }
  }

  /**
   * swanctl prints how long a certificate has left, rounded down to hours ("expires in 48 hours", a
   * second later 47): the two listings can straddle that boundary, so the phrase is left out.
   */
  private static String withoutTimeLeft(String certificates) {
    return certificates.replaceAll("\\(expires in [^)]*\\)", "(expires)");
  }

  private static void writeConfig(Path conf) throws Exception {
    Files.createDirectories(conf.resolve("conf.d"));
    Files.createDirectories(conf.resolve("x509"));
    Files.createDirectories(conf.resolve("x509ca"));
    Files.createDirectories(conf.resolve("private"));
    openssl(
        conf,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        conf.resolve("ca.key").toString(),
        "-out",
        conf.resolve("x509ca/ca.pem").toString(),
        "-subj",
        "/CN=Equivalence CA",
        "-days",
        "2");
    openssl(
        conf,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        conf.resolve("private/gw.key").toString(),
        "-out",
        conf.resolve("x509/gw.pem").toString(),
        "-subj",
        "/CN=gw.a.test",
        "-days",
        "2");
    Files.delete(conf.resolve("ca.key"));

    Files.writeString(
        conf.resolve("swanctl.conf"),
        """
        # the entry file: everything else is included
        include conf.d/*.conf
        secrets {
          ike-main {
            id-local = a.test
            id-remote-0 = "b.test"
            secret = "top secret with spaces"
          }
        }
        """);
    Files.writeString(
        conf.resolve("conf.d/10-psk.conf"),
        """
        connections {
          tun-psk {
            version = 2
            local_addrs = 192.0.2.1, 192.0.2.3
            remote_addrs = 192.0.2.2
            proposals = aes256-sha256-modp2048, aes128gcm16-prfsha256-ecp256
            dpd_delay = 30s
            rekey_time = 4h
            mobike = no
            local {
              auth = psk
              id = a.test
            }
            remote {
              auth = psk
              id = b.test
            }
            children {
              net {
                local_ts = 198.51.100.0/28, 198.51.100.64/28
                remote_ts = 203.0.113.0/24[tcp/443]
                esp_proposals = aes256gcm16-modp2048, aes128-sha256
                rekey_time = 1h
                life_time = 66m
                dpd_action = restart
                close_action = trap
              }
              vti {
                local_ts = 0.0.0.0/0
                remote_ts = 0.0.0.0/0
                mode = tunnel
              }
            }
          }
        }
        secrets {
          ike-psk { id-local = 0x612e74657374
                    secret = 0sc2VjcmV0LWZyb20tYmFzZTY0 }
        }
        """);
    Files.writeString(
        conf.resolve("conf.d/20-cert.conf"),
        """
        connections {
          tun-cert {
            version = 1
            aggressive = no
            remote_addrs = 192.0.2.9
            local {
              auth = pubkey
              certs = gw.pem
            }
            remote {
              auth = pubkey
              cacerts = ca.pem
              id = "CN=peer.b.test"
            }
            children {
              c1 {
                local_ts = dynamic
                start_action = trap
              }
            }
          }
        }
        """);
    TestManifests.write(conf, "eq1");
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    ExecResult r = Exec.run(Duration.ofSeconds(30), command, Map.of());
    assertThat(r.exitCode()).as("openssl " + r.stderr()).isZero();
  }
}
