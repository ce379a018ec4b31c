package dev.ipsec.operator.vyos;

import java.util.ArrayList;
import java.util.List;

/** A global {@code authentication psk NAME} entry: its ids and its secret. */
final class PskEntry {
  final String name;
  final int line;
  final List<String> ids = new ArrayList<>();
  String secret;

  PskEntry(String name, int line) {
    this.name = name;
    this.line = line;
  }
}
