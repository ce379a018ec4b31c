package dev.ipsec.operator.vyos;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the output of VyOS {@code show configuration commands} into words. Only {@code set vpn
 * ipsec ...} lines and the {@code set pki ...} lines (where VyOS keeps the certificates and keys
 * the peers name) are kept; every other line (other subsystems, {@code delete}, comments, blank
 * lines) is none of the import's business and is skipped. A word may be single- or double-quoted,
 * with spaces inside; inside quotes a backslash escapes the next character, as VyOS escapes a quote
 * in a value. A quote left open, or a quote glued to other characters, is an error with its line.
 */
public final class VyosTokenizer {

  private VyosTokenizer() {}

  /** The {@code set vpn ipsec} lines of {@code text} and the errors of the malformed ones. */
  public static Tokenized tokenize(String text) {
    List<VyosLine> lines = new ArrayList<>();
    List<VyosLine> pkiLines = new ArrayList<>();
    List<VyosProblem> errors = new ArrayList<>();
    String[] raw = text.split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      int number = i + 1;
      String line = raw[i].strip();
      boolean ipsec = startsWithWords(line, "set", "vpn", "ipsec");
      if (!ipsec && !startsWithWords(line, "set", "pki")) {
        continue;
      }
      try {
        List<String> words = split(line);
        if (ipsec
            && words.size() >= 3
            && words.get(1).equals("vpn")
            && words.get(2).equals("ipsec")) {
          lines.add(new VyosLine(number, VyosLine.IPSEC, words.subList(3, words.size())));
        } else if (!ipsec && words.size() >= 2 && words.get(1).equals("pki")) {
          pkiLines.add(new VyosLine(number, VyosLine.PKI, words.subList(2, words.size())));
        }
      } catch (IllegalArgumentException e) {
        errors.add(VyosProblem.error(number, e.getMessage()));
      }
    }
    return new Tokenized(lines, pkiLines, errors);
  }

  /**
   * A cheap test before splitting, so that a malformed line of another subsystem is not our error;
   * the words may be quoted as some VyOS versions print them ({@code set 'vpn' 'ipsec'}).
   */
  private static boolean startsWithWords(String line, String... expected) {
    String unquoted = line.replace("'", "").replace("\"", "");
    String[] parts = unquoted.split("\\s+", expected.length + 1);
    if (parts.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (!parts[i].equals(expected[i])) {
        return false;
      }
    }
    return true;
  }

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      StringBuilder word = new StringBuilder();
      if (c == '\'' || c == '"') {
        int start = i;
        i++;
        boolean closed = false;
        while (i < n) {
          char d = line.charAt(i);
          if (d == '\\' && i + 1 < n) {
            word.append(line.charAt(i + 1));
            i += 2;
          } else if (d == c) {
            closed = true;
            i++;
            break;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(
              "unterminated quote starting at column " + (start + 1));
        }
        if (i < n && !Character.isWhitespace(line.charAt(i))) {
          throw new IllegalArgumentException(
              "characters right after a closing quote at column " + (i + 1));
        }
      } else {
        while (i < n && !Character.isWhitespace(line.charAt(i))) {
          char d = line.charAt(i);
          if (d == '\'' || d == '"') {
            throw new IllegalArgumentException("quote inside a word at column " + (i + 1));
          }
          word.append(d);
          i++;
        }
      }
      words.add(word.toString());
    }
    return words;
  }

  /**
   * The kept lines in input order ({@code set vpn ipsec} in {@code lines}, {@code set pki} in
   * {@code pkiLines}), and the errors of malformed ones.
   */
  public record Tokenized(List<VyosLine> lines, List<VyosLine> pkiLines, List<VyosProblem> errors) {
    public Tokenized {
      lines = List.copyOf(lines);
      pkiLines = List.copyOf(pkiLines);
      errors = List.copyOf(errors);
    }
  }
}
