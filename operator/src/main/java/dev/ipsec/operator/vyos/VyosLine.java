package dev.ipsec.operator.vyos;

import java.util.List;

/**
 * One {@code set vpn ipsec ...} command, unquoted: {@code words} are the path and value after
 * {@code vpn ipsec}.
 *
 * @param number the 1-based line number in the input
 */
public record VyosLine(int number, List<String> words) {

  public VyosLine {
    words = List.copyOf(words);
  }

  public int size() {
    return words.size();
  }

  public String word(int index) {
    return words.get(index);
  }

  /** The command as written back, for messages: words with spaces single-quoted. */
  public String text() {
    StringBuilder out = new StringBuilder("set vpn ipsec");
    for (String w : words) {
      out.append(' ')
          .append(w.isEmpty() || w.matches(".*[\\s'\"\\\\].*") ? VyosQuoting.quote(w) : w);
    }
    return out.toString();
  }
}
