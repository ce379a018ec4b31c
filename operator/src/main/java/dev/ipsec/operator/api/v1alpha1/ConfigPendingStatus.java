package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration revision a pod's agent does not load yet: its volume does not hold every file of
 * it, or holds one whose content does not match the revision's manifest. File names only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigPendingStatus {
  @JsonPropertyDescription(
      "The revision the manifests announce (absent when they disagree or cannot be read).")
  private String revision;

  @JsonPropertyDescription("Since when the agent has seen the revision incomplete (RFC 3339).")
  private String since;

  @JsonPropertyDescription("Files the manifests list that the volume does not hold.")
  private List<String> missingFiles = new ArrayList<>();

  @JsonPropertyDescription("Files whose content does not match the digest the manifests list.")
  private List<String> mismatchedFiles = new ArrayList<>();

  @JsonPropertyDescription("What keeps the revision from loading, in one line.")
  private String reason;

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public List<String> getMissingFiles() {
    return missingFiles;
  }

  public void setMissingFiles(List<String> missingFiles) {
    this.missingFiles = missingFiles;
  }

  public List<String> getMismatchedFiles() {
    return mismatchedFiles;
  }

  public void setMismatchedFiles(List<String> mismatchedFiles) {
    this.mismatchedFiles = mismatchedFiles;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
