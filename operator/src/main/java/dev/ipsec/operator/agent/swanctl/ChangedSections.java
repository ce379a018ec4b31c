package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.settings.DecodedTexts;
import dev.ipsec.operator.settings.SettingsException;
import dev.ipsec.operator.settings.SettingsParser;
import dev.ipsec.operator.settings.SettingsSection;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * What a new view of the configuration changes, when the change is local to its files: the new text
 * of each {@code connections.<name>} and {@code secrets.<id>} that only changed files define. A
 * one-peer change rewrites one file that alone defines that peer's connection and secret; the rest
 * of the merged tree, and every other item, is then the previous read's, without parsing and
 * merging thousands of files again.
 *
 * <p>The change is local only when all of this holds, and is read in full otherwise: the previous
 * read parsed every file without error; the new view has the same paths; every changed file was
 * parsed then (none is a credential or an unincluded file), holds no include, parses now, and
 * before and after holds nothing but {@code connections} and {@code secrets} sections of
 * subsections, with the same names in the same order; and each of those subsections was defined by
 * that file alone (strongSwan merges a section defined in two files, which only a full read does).
 */
final class ChangedSections {

  /** What the previous full read saw: the bytes, the merged tree, the files it parsed. */
  record LastRead(
      SortedMap<String, byte[]> files,
      SettingsSection tree,
      Set<Path> parsedFiles,
      boolean clean) {}

  private static final List<String> TOPS = List.of("connections", "secrets");

  private final Path dir;
  private final DecodedTexts texts;

  /** top ("connections", "secrets") -> name -> the new section, from its file's new text. */
  private final Map<String, Map<String, SettingsSection>> changed = new HashMap<>();

  private boolean anyFile;

  private ChangedSections(Path dir, DecodedTexts texts) {
    this.dir = dir;
    this.texts = texts;
    TOPS.forEach(top -> changed.put(top, new HashMap<>()));
  }

  /**
   * @return the changed sections (none at all when no file changed), or empty when the change is
   *     not local to its files and the view must be read in full
   */
  static Optional<ChangedSections> of(
      Path dir, DecodedTexts texts, LastRead last, SortedMap<String, byte[]> files) {
    if (!last.clean() || files.size() != last.files().size()) {
      return Optional.empty();
    }
    ChangedSections sections = new ChangedSections(dir, texts);
    // both maps are sorted by path: one walk in step compares the paths and finds the changed
    // files (an unchanged file is the very array of the previous view), without a lookup per path
    Iterator<Map.Entry<String, byte[]>> previous = last.files().entrySet().iterator();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Map.Entry<String, byte[]> was = previous.next();
      if (!was.getKey().equals(e.getKey())) {
        return Optional.empty();
      }
      byte[] before = was.getValue();
      if (before != e.getValue()
          && !Arrays.equals(before, e.getValue())
          && !sections.add(last, e.getKey(), before, e.getValue())) {
        return Optional.empty();
      }
    }
    return Optional.of(sections);
  }

  /** Whether no file changed at all. */
  boolean none() {
    return !anyFile;
  }

  /** The names under {@code top} that changed files define. */
  Set<String> names(String top) {
    return changed.get(top).keySet();
  }

  /** The new section of {@code top.<name>}, if a changed file defines it. */
  Optional<SettingsSection> section(String top, String name) {
    return Optional.ofNullable(changed.get(top).get(name));
  }

  private boolean add(LastRead last, String relative, byte[] before, byte[] after) {
    anyFile = true;
    Path file = dir.resolve(relative).normalize();
    if (!last.parsedFiles().contains(file)) {
      return false;
    }
    Optional<SettingsSection> old = parse(file, before);
    Optional<SettingsSection> now = parse(file, after);
    if (old.isEmpty() || now.isEmpty() || !sameShape(old.get(), now.get())) {
      return false;
    }
    for (String top : TOPS) {
      Optional<SettingsSection> items = now.get().section(top);
      if (items.isEmpty()) {
        continue;
      }
      SettingsSection merged = last.tree().section(top).orElse(null);
      for (Map.Entry<String, SettingsSection> item : items.get().sections().entrySet()) {
        SettingsSection was = merged == null ? null : merged.sections().get(item.getKey());
        if (was == null
            || !was.sources().equals(Set.of(file))
            || changed.get(top).put(item.getKey(), item.getValue()) != null) {
          return false;
        }
      }
    }
    return true;
  }

  private Optional<SettingsSection> parse(Path file, byte[] bytes) {
    try {
      return Optional.of(SettingsParser.parseString(texts.decode(file, bytes), file));
    } catch (SettingsException | CharacterCodingException e) {
      return Optional.empty(); // an include, or broken text: the full read reports it
    }
  }

  /** Both trees hold only item sections under the tops, the same names in the same order. */
  private static boolean sameShape(SettingsSection a, SettingsSection b) {
    if (!a.values().isEmpty()
        || !b.values().isEmpty()
        || !List.copyOf(a.sections().keySet()).equals(List.copyOf(b.sections().keySet()))) {
      return false;
    }
    for (String top : a.sections().keySet()) {
      if (!TOPS.contains(top)) {
        return false;
      }
      SettingsSection x = a.sections().get(top);
      SettingsSection y = b.sections().get(top);
      if (!x.values().isEmpty()
          || !y.values().isEmpty()
          || !List.copyOf(x.sections().keySet()).equals(List.copyOf(y.sections().keySet()))) {
        return false;
      }
    }
    return true;
  }
}
