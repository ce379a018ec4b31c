package dev.ipsec.operator.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merged tree of every file that parsed, plus the errors of those that did not.
 *
 * @param tree the merged settings of all files that parsed
 * @param errors one per failed file, in the order met
 * @param failedFiles files whose content is missing from {@code tree}: those with an error and
 *     those included (directly or not) by a file with an error
 * @param parsedFiles every file read
 * @param contents the text of every file read
 */
public record SettingsParseResult(
    SettingsSection tree,
    List<SettingsException> errors,
    Set<Path> failedFiles,
    Set<Path> parsedFiles,
    Map<Path, String> contents) {

  public SettingsParseResult {
    errors = List.copyOf(errors);
    failedFiles = Set.copyOf(failedFiles);
    parsedFiles = Set.copyOf(parsedFiles);
    contents = Map.copyOf(contents);
  }

  /** Shows files and errors only: the contents may hold secrets. */
  @Override
  public String toString() {
    return "SettingsParseResult{files=" + parsedFiles.size() + ", errors=" + errors + "}";
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
