package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.fge.jsonpatch.JsonPatch;
import com.github.fge.jsonpatch.JsonPatchException;
import com.github.fge.jsonpatch.mergepatch.JsonMergePatch;
import java.io.IOException;
import java.util.Optional;

/**
 * The patch types the API server accepts for custom resources, applied as the RFCs say: RFC 6902
 * (JSON patch, a list of operations) and RFC 7386 (JSON merge patch: lists are replaced, {@code
 * null} deletes). A strategic merge patch is refused: it needs the merge keys of a Go type, which
 * custom resources do not have (Kubernetes API concepts, "Patch operations").
 */
enum PatchDocument {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json");

  /** What kube-apiserver answers a custom-resource patch of any other media type with (415). */
  static final String UNSUPPORTED_MESSAGE =
      "the body of the request was in an unknown format - accepted media types include:"
          + " application/json-patch+json, application/merge-patch+json,"
          + " application/apply-patch+yaml";

  private final String mediaType;

  PatchDocument(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The patch type named by a Content-Type header, ignoring parameters such as charset. */
  static Optional<PatchDocument> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].trim();
    for (PatchDocument type : values()) {
      if (type.mediaType.equalsIgnoreCase(bare)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * The object after the patch.
   *
   * @throws InvalidPatchException when the patch is malformed or an operation cannot be applied
   */
  JsonNode apply(JsonNode patch, JsonNode current) {
    try {
      return switch (this) {
        case JSON_PATCH -> JsonPatch.fromJson(patch).apply(current);
        case MERGE_PATCH -> JsonMergePatch.fromJson(patch).apply(current);
      };
    } catch (IOException | JsonPatchException e) {
      throw new InvalidPatchException(e.getMessage());
    }
  }

  /** A patch that is not valid for its type or cannot be applied to the object. */
  static final class InvalidPatchException extends RuntimeException {
    InvalidPatchException(String message) {
      super(message);
    }
  }
}
