package dev.ipsec.operator.vyos;

import java.util.List;

/**
 * One {@code set vpn ipsec ...} or {@code set pki ...} command, unquoted: {@code words} are the
 * path and value after the {@code root} ({@code vpn ipsec} or {@code pki}).
 *
 * @param number the 1-based line number in the input
 */
public record VyosLine(int number, String root, List<String> words) {

  static final String IPSEC = "vpn ipsec";
  static final String PKI = "pki";

  public VyosLine {
    words = List.copyOf(words);
  }

  /** A {@code set vpn ipsec} line. */
  public VyosLine(int number, List<String> words) {
    this(number, IPSEC, words);
  }

  public int size() {
    return words.size();
  }

  public String word(int index) {
    return words.get(index);
  }

  /** The command as written back, for messages: words with spaces single-quoted. */
  public String text() {
    StringBuilder out = new StringBuilder("set ").append(root);
    for (String w : words) {
      out.append(' ')
          .append(w.isEmpty() || w.matches(".*[\\s'\"\\\\].*") ? VyosQuoting.quote(w) : w);
    }
    return out.toString();
  }
}
