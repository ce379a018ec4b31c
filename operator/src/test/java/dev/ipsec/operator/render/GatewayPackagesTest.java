package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.ProjectFiles;
import dev.ipsec.operator.testing.Exec;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.GatewayPackages;
import dev.ipsec.operator.testing.RequiresCharon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's package list against what the gateway loads: every plugin of the rendered
 * strongswan.conf is on the list, under the package Debian really ships it in ({@code dpkg -S}),
 * and the image and {@code bin/setup} both install from the list and from nothing else. The plugins
 * behind the algorithms the CRDs accept are checked by {@code AlgorithmMatrixCharonTest}, against
 * charon's own answer.
 */
@RequiresCharon
class GatewayPackagesTest {

  private final GatewayPackages packages = GatewayPackages.read();

  @ParameterizedTest(name = "userSpaceEsp {0}")
  @ValueSource(booleans = {false, true})
  void everyPluginTheRenderedConfigurationLoadsIsOnTheListUnderItsDebianPackage(
      boolean userSpaceEsp) {
    for (String plugin : CharonPlugins.forGateway(userSpaceEsp)) {
      assertThat(packages.packageOf(plugin))
          .as(
              "plugin %s is loaded by the gateway but no line of %s names it",
              plugin, GatewayPackages.PATH)
          .isPresent();
      ExecResult owner =
          Exec.run(
              Duration.ofSeconds(20),
              List.of("dpkg", "-S", GatewayPackages.pluginFile(plugin).toString()));
      assertThat(owner.exitCode()).as("dpkg -S for plugin %s: %s", plugin, owner.stderr()).isZero();
      assertThat(owner.stdout().substring(0, owner.stdout().indexOf(':')))
          .as("the Debian package of plugin %s", plugin)
          .isEqualTo(packages.packageOf(plugin).orElseThrow());
    }
  }

  @Test
  void theListNamesNoPluginTheGatewayDoesNotLoad() {
    List<String> loaded = CharonPlugins.forGateway(true);
    packages
        .pluginsByPackage()
        .forEach(
            (pkg, plugins) ->
                assertThat(loaded).as("plugins listed for %s", pkg).containsAll(plugins));
  }

  @Test
  void theImageAndBinSetupBothInstallFromTheListAndNameNoStrongswanPackageThemselves()
      throws IOException {
    // Debian's package names from the strongswan source (not the plugin files' libstrongswan-X.so)
    Pattern strongswanPackage =
        Pattern.compile(
            "\\b(strongswan-(charon|swanctl|libcharon|pki)"
                + "|lib(strongswan|charon)-[a-z]+-plugins|libstrongswan(?![-\\w]))");
    for (String file : List.of("bin/setup", "images/strongswan/Dockerfile")) {
      String text = Files.readString(ProjectFiles.root().resolve(file));
      assertThat(text)
          .as(file)
          .contains(GatewayPackages.PATH.substring(GatewayPackages.PATH.lastIndexOf('/') + 1));
      assertThat(
              strongswanPackage
                  .matcher(text.replaceAll("(?m)#.*$", ""))
                  .results()
                  .map(m -> m.group())
                  .toList())
          .as("%s names a strongSwan package of its own instead of reading the list", file)
          .isEmpty();
    }
  }

  /**
   * bin/setup itself, run from a copy of the project whose list names a plugin no package ships:
   * every package is installed (nothing for apt to do), and the plugin check stops it, naming the
   * plugin and the package it should come from.
   */
  @Test
  void binSetupStopsNamingThePluginAndItsPackageWhenAPluginCannotBeLoaded(@TempDir Path copy)
      throws IOException {
    Path root = ProjectFiles.root();
    Files.createDirectories(copy.resolve("bin"));
    Files.createDirectories(copy.resolve("images/strongswan"));
    Files.copy(root.resolve("bin/setup"), copy.resolve("bin/setup"));
    String list = Files.readString(root.resolve(GatewayPackages.PATH));
    Files.writeString(
        copy.resolve(GatewayPackages.PATH),
        list.replaceFirst("(?m)^(libstrongswan-standard-plugins\\s.*)$", "$1 no-such-plugin"));

    ExecResult setup =
        Exec.run(Duration.ofMinutes(2), List.of("bash", copy.resolve("bin/setup").toString()));

    assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isEqualTo(1);
    assertThat(setup.stderr())
        .contains(
            "charon plugin 'no-such-plugin': /usr/lib/ipsec/plugins/libstrongswan-no-such-plugin.so"
                + " is missing (package libstrongswan-standard-plugins)")
        .doesNotContain("charon plugin 'openssl'");
    assertThat(setup.stdout()).as("no apt output when nothing is missing").isEmpty();
  }
}
