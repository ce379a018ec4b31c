package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.FieldError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer that uses an invalid IkeGroup or EspGroup cannot render, and the renderer says so with the
 * group's own error ({@code IkeGroup "ike" is invalid: spec.lifetime: ...}), which the peer's
 * status needs. In a report that prints the group's errors on the group, that would repeat each of
 * them once per peer: the peer's line names the group instead.
 */
final class GroupErrorRelay {

  private static final Pattern RELAYED =
      Pattern.compile("^(IkeGroup|EspGroup) (\"[^\"]*\") is invalid: .*", Pattern.DOTALL);

  private GroupErrorRelay() {}

  /** The peer's error, with a relayed group error shortened to a pointer to the group. */
  static FieldError shorten(FieldError peerError) {
    Matcher m = RELAYED.matcher(peerError.message());
    if (!m.matches()) {
      return peerError;
    }
    String kind = m.group(1);
    String quotedName = m.group(2);
    String name = quotedName.substring(1, quotedName.length() - 1);
    return new FieldError(
        peerError.path(),
        kind + " " + quotedName + " is invalid (its errors are under " + kind + "/" + name + ")",
        peerError.reason());
  }
}
