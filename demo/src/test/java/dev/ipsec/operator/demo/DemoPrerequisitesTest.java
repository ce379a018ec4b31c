package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoPrerequisitesTest {
  private static final List<Path> PATH = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"));

  private static Set<Path> complete() {
    Set<Path> files =
        new HashSet<>(
            Set.of(
                DemoPrerequisites.CHARON,
                DemoPrerequisites.LIBIPSEC,
                DemoPrerequisites.TUN,
                Path.of("/usr/sbin/swanctl"),
                Path.of("/usr/bin/ip"),
                Path.of("/usr/bin/nsenter"),
                Path.of("/usr/bin/unshare"),
                Path.of("/usr/bin/ping")));
    return files;
  }

  @Test
  void rootWithStrongSwanAndTheToolsHasNoProblems() {
    assertThat(new DemoPrerequisites(0, complete()::contains, PATH).problems()).isEmpty();
  }

  @Test
  void notRootIsRefusedWithHowToRunIt() {
    assertThat(new DemoPrerequisites(1000, complete()::contains, PATH).problems())
        .singleElement()
        .asString()
        .contains("must run as root")
        .contains("sudo bin/demo");
  }

  @Test
  void missingCharonNamesStrongSwanAndThePackages() {
    Set<Path> files = complete();
    files.remove(DemoPrerequisites.CHARON);
    assertThat(new DemoPrerequisites(0, files::contains, PATH).problems())
        .singleElement()
        .asString()
        .contains("strongSwan is missing")
        .contains("strongswan-charon")
        .contains("bin/setup");
  }

  @Test
  void missingKernelLibipsecAndSwanctlAreEachReported() {
    Set<Path> files = complete();
    files.remove(DemoPrerequisites.LIBIPSEC);
    files.remove(Path.of("/usr/sbin/swanctl"));
    assertThat(new DemoPrerequisites(0, files::contains, PATH).problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("kernel-libipsec"))
        .anySatisfy(p -> assertThat(p).contains("swanctl is missing"));
  }
}
