package dev.ipsec.operator.agent.swanctl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the configuration directory asks charon to hold, plus what could not be read.
 *
 * <p>An item with an error is absent from the maps; whoever applies this must keep charon's current
 * version of it rather than unload it ("keep the last good state").
 *
 * @param revision the revision the manifests name (of the verified files this was read from)
 * @param connections valid connections by name, in file order
 * @param secrets valid shared secrets by id
 * @param credentials certificates and keys by relative file name
 * @param connectionErrors error per connection name (parse errors inside its section included)
 * @param secretErrors error per secret id
 * @param credentialErrors error per credential file
 * @param fileErrors errors that could not be attributed to one connection or secret
 * @param failedFiles files whose content is missing; connections defined there are kept as loaded
 * @param entryFileFailed {@code swanctl.conf} itself failed: nothing may be unloaded
 */
public record DesiredConfig(
    String revision,
    Map<String, SectionSpec> connections,
    Map<String, SectionSpec> secrets,
    Map<String, CredentialSpec> credentials,
    Map<String, String> connectionErrors,
    Map<String, String> secretErrors,
    Map<String, String> credentialErrors,
    List<String> fileErrors,
    Set<Path> failedFiles,
    boolean entryFileFailed) {

  /** Whether an item defined by {@code sources} must be kept because its file did not parse. */
  public boolean keepsStale(Set<Path> sources) {
    return entryFileFailed || sources.stream().anyMatch(failedFiles::contains);
  }
}
