package dev.ipsec.operator.vyos;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which global {@code authentication psk} entry a peer uses. VyOS writes each entry as a swanctl
 * secret with the entry's ids, and charon takes the secret whose ids best match the two ends: an
 * entry must hold one of the peer's remote identities (remote-id, or a remote address), and one
 * that also holds a local identity (local-id, or the local address) is the better match. Two
 * entries matching equally well are ambiguous: charon would pick one by order, which a migration
 * should not guess.
 */
final class PskMatch {

  private PskMatch() {}

  /** The matching entries of the best score: none, one, or several (ambiguous). */
  static List<PskEntry> best(
      List<PskEntry> entries, List<String> localIdentities, List<String> remoteIdentities) {
    int bestScore = 0;
    List<PskEntry> best = new ArrayList<>();
    for (PskEntry entry : entries) {
      int score = score(entry, localIdentities, remoteIdentities);
      if (score > bestScore) {
        bestScore = score;
        best.clear();
      }
      if (score > 0 && score == bestScore) {
        best.add(entry);
      }
    }
    return best;
  }

  private static int score(PskEntry entry, List<String> local, List<String> remote) {
    if (entry.ids.stream().noneMatch(remote::contains)) {
      return 0;
    }
    return entry.ids.stream().anyMatch(local::contains) ? 2 : 1;
  }

  static List<String> identities(String id, List<String> addresses) {
    return Stream.concat(Stream.of(id), addresses.stream())
        .filter(Objects::nonNull)
        .filter(v -> !v.equals("any") && !v.equals("%any"))
        .toList();
  }
}
