package dev.ipsec.operator.settings;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The text of each file, decoded from its bytes once and kept while the bytes stay the same: a
 * configuration of thousands of files changes a few at a time, and the parser's caches recognise an
 * unchanged file first by the identity of its text. Decodes strictly, like {@link
 * java.nio.file.Files#readString}: malformed UTF-8 is an error.
 *
 * <p>Not thread-safe: one reader of a configuration owns it.
 */
public final class DecodedTexts {

  private record Decoded(byte[] bytes, String text) {}

  private final Map<Path, Decoded> texts = new HashMap<>();

  /** The text of {@code bytes}, the same String as last time for the same (or equal) bytes. */
  public String decode(Path file, byte[] bytes) throws CharacterCodingException {
    Decoded before = texts.get(file);
    if (before != null && (before.bytes() == bytes || Arrays.equals(before.bytes(), bytes))) {
      return before.text();
    }
    String text = strict(bytes);
    texts.put(file, new Decoded(bytes, text));
    return text;
  }

  /** Forgets the files not in {@code files}. */
  void retainOnly(Set<Path> files) {
    texts.keySet().retainAll(files);
  }

  static String strict(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
