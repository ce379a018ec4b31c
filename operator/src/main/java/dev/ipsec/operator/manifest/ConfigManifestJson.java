package dev.ipsec.operator.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of a {@link ConfigManifest}: keys in order and one file a line, so the same
 * revision always gives the same bytes and a {@code kubectl get -o yaml} reads well.
 *
 * <p>Reading is strict, because the agent reads a manifest from a volume that others might have
 * written into: an unknown field, a duplicate key, trailing content or more than {@link #MAX_BYTES}
 * is refused rather than guessed at.
 */
public final class ConfigManifestJson {

  /**
   * A manifest is one key of a ConfigMap or Secret, which holds at most 1 MiB: a root lists at most
   * 32 shard manifests, a shard's manifest only that shard's files.
   */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private ConfigManifestJson() {}

  public static String write(ConfigManifest manifest) {
    try {
      return MAPPER.writeValueAsString(manifest) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }

  /**
   * @throws InvalidManifestException naming what is wrong; never a partial manifest
   */
  public static ConfigManifest read(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw new InvalidManifestException("larger than " + MAX_BYTES + " bytes");
    }
    try {
      ConfigManifest manifest = MAPPER.readValue(json, ConfigManifest.class);
      if (manifest == null) {
        throw new InvalidManifestException("empty");
      }
      return manifest;
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new InvalidManifestException(firstLine(cause.getMessage()));
    }
  }

  public static ConfigManifest read(String json) {
    return read(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "not a manifest";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A manifest that cannot be read; its message says why, naming the field at fault. */
  public static final class InvalidManifestException extends RuntimeException {
    public InvalidManifestException(String message) {
      super("invalid manifest: " + message);
    }
  }
}
