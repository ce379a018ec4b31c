package dev.ipsec.operator.cli;

import static dev.ipsec.operator.cli.RenderAndValidateCommandTest.EXAMPLES;
import static dev.ipsec.operator.cli.RenderAndValidateCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.testing.TestManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render --volume-dir} and {@code render --out}: the gateway's configuration volume as files
 * an agent can load, holding exactly what the manifests list, secret files readable by the owner
 * only. That the bytes are the operator's is {@code RenderVolumeDirMatchesOperatorTest}.
 */
class RenderVolumeDirTest {

  @Test
  void writesTheFlatVolumeWithBothManifestsAndSecretsOwnerOnly(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("volume");
    RenderAndValidateCommandTest.Run r =
        run(
            "render",
            "-f",
            EXAMPLES.resolve("x509").toString(),
            "--gateway",
            "x509-site-a",
            "--volume-dir",
            dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote ").contains(dir.toString());

    Map<String, byte[]> files = files(dir);
    // every file the manifests list, through the tree of the roots and the shards' manifests
    ConfigManifest manifest = TestManifests.listing(files, ConfigManifest.Side.PUBLIC);
    ConfigManifest secrets = TestManifests.listing(files, ConfigManifest.Side.SECRET);
    assertThat(manifest.revision()).isEqualTo(secrets.revision());
    assertThat(r.out()).contains("revision " + manifest.revision());
    assertThat(manifest.files())
        .containsKeys(
            "swanctl.conf",
            "manifests/config-0.json",
            "conf.d/x509-to-site-b.conf",
            "x509/x509-to-site-b.pem");
    assertThat(secrets.files())
        .containsKeys(
            "manifests/secrets-0.json",
            "secrets.d/x509-to-site-b.conf",
            "private/x509-to-site-b.pem");
    // exactly the listed files and the two manifests, flat, each with its digest
    assertThat(files.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    manifest.files().keySet().stream(),
                    secrets.files().keySet().stream(),
                    Stream.of(ConfigManifest.PUBLIC_FILE, ConfigManifest.SECRET_FILE))
                .flatMap(s -> s)
                .map(p -> p.replace("/", ConfigTree.SEPARATOR))
                .collect(Collectors.toSet()));
    manifest
        .files()
        .keySet()
        .forEach(p -> assertThat(manifest.matches(p, flat(files, p))).isTrue());
    secrets.files().keySet().forEach(p -> assertThat(secrets.matches(p, flat(files, p))).isTrue());
    assertThat(new String(flat(files, "private/x509-to-site-b.pem")))
        .contains("PRIVATE KEY"); // the real key, for an agent to load

    assertThat(mode(dir)).isEqualTo("rwx------");
    for (String name : files.keySet()) {
      boolean secret =
          name.equals(ConfigManifest.SECRET_FILE)
              || name.startsWith("manifests..secrets-")
              || name.startsWith("secrets.d..")
              || name.startsWith("private..");
      assertThat(mode(dir.resolve(name))).as(name).isEqualTo(secret ? "rw-------" : "rw-r--r--");
    }
  }

  @Test
  void theSameResourcesGiveTheSameBytes(@TempDir Path tmp) throws IOException {
    for (String name : new String[] {"one", "two"}) {
      assertThat(
              run(
                      "render",
                      "-f",
                      EXAMPLES.resolve("site-to-site").toString(),
                      "--gateway",
                      "site-a",
                      "--volume-dir",
                      tmp.resolve(name).toString())
                  .exitCode())
          .isZero();
    }
    Map<String, byte[]> one = files(tmp.resolve("one"));
    Map<String, byte[]> two = files(tmp.resolve("two"));
    assertThat(two.keySet()).isEqualTo(one.keySet());
    one.forEach((name, bytes) -> assertThat(two.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void writesTheNestedLayoutWithBothManifests(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("out");
    RenderAndValidateCommandTest.Run r =
        run(
            "render",
            "-f",
            EXAMPLES.resolve("site-to-site").toString(),
            "--gateway",
            "site-a",
            "--out",
            dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(dir.resolve("strongswan.conf")).exists();
    Path swanctl = dir.resolve("swanctl");
    Map<String, byte[]> flat = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(swanctl)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        flat.put(
            swanctl.relativize(file).toString().replace("/", ConfigTree.SEPARATOR),
            Files.readAllBytes(file));
      }
    }
    ConfigManifest manifest = TestManifests.listing(flat, ConfigManifest.Side.PUBLIC);
    ConfigManifest secrets = TestManifests.listing(flat, ConfigManifest.Side.SECRET);
    assertThat(manifest.files())
        .containsKeys("swanctl.conf", "manifests/config-0.json", "conf.d/site-b.conf");
    assertThat(secrets.files()).containsKeys("manifests/secrets-0.json", "secrets.d/site-b.conf");
    // the shards' manifests nested in their folder, the secret one owner-only
    assertThat(mode(swanctl.resolve("manifests/secrets-0.json"))).isEqualTo("rw-------");
    assertThat(mode(swanctl.resolve("manifests/config-0.json"))).isEqualTo("rw-r--r--");
    manifest
        .files()
        .keySet()
        .forEach(p -> assertThat(manifest.matches(p, read(swanctl.resolve(p)))).isTrue());
    secrets
        .files()
        .keySet()
        .forEach(p -> assertThat(secrets.matches(p, read(swanctl.resolve(p)))).isTrue());
    assertThat(Files.readString(swanctl.resolve("secrets.d/site-b.conf")))
        .contains("demo-secret-change-me");
    assertThat(mode(swanctl.resolve("secrets.d/site-b.conf"))).isEqualTo("rw-------");
    assertThat(mode(swanctl.resolve("secrets.d"))).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    // the agent reads it as it reads a projected volume
    assertThat(new ConfigTree(swanctl).exists(swanctl.resolve("conf.d/site-b.conf"))).isTrue();
  }

  @Test
  void refusesADirectoryThatIsNotEmptyAndBothLayoutsAtOnce(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("stale.conf"), "left from before");
    RenderAndValidateCommandTest.Run r =
        run(
            "render",
            "-f",
            EXAMPLES.resolve("site-to-site").toString(),
            "--gateway",
            "site-a",
            "--volume-dir",
            tmp.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("is not empty");
    assertThat(files(tmp)).containsOnlyKeys("stale.conf");

    RenderAndValidateCommandTest.Run both =
        run(
            "render",
            "-f",
            EXAMPLES.resolve("site-to-site").toString(),
            "--gateway",
            "site-a",
            "--volume-dir",
            tmp.resolve("a").toString(),
            "--out",
            tmp.resolve("b").toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void writesNothingForInvalidResources(@TempDir Path tmp) throws IOException {
    Files.writeString(
        tmp.resolve("bad.yaml"),
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: gw}
        spec: {}
        ---
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: branch}
        spec:
          gateway: gw
          authentication: {mode: pre-shared-secret}
          localAddress: 192.0.2.1
          tunnels: [{id: 1}]
        """);
    Path dir = tmp.resolve("volume");
    RenderAndValidateCommandTest.Run r =
        run("render", "-f", tmp.resolve("bad.yaml").toString(), "--volume-dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("IpsecPeer/branch");
    assertThat(dir).doesNotExist();
  }

  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static byte[] flat(Map<String, byte[]> files, String logical) {
    return files.get(logical.replace("/", ConfigTree.SEPARATOR));
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
