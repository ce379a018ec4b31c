package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.settings.SettingsParseResult;
import dev.ipsec.operator.settings.SettingsSection;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Translates the subsections of one top-level section of swanctl.conf ({@code connections}, {@code
 * secrets}) into items by name, reusing the previous read's translation of a subsection when every
 * file that defines it has the same text as then (a swap rewrites every file, but few change).
 *
 * <p>Not thread-safe: it remembers the translations of the previous read.
 */
final class CachedSectionTranslator<T> {

  @FunctionalInterface
  interface SectionTranslation<T> {
    /** The item of a subsection, or null for one that loads nothing itself. */
    T translate(String name, SettingsSection section) throws ConfigItemException;
  }

  /** A translated item and the texts of the files it came from. */
  private record Cached<T>(Map<Path, String> sourceTexts, T item) {}

  private final String top;
  private final BiPredicate<String, SettingsSection> cacheable;
  private final SectionTranslation<T> translation;
  private Map<String, Cached<T>> previous = new HashMap<>();

  /**
   * @param cacheable whether a subsection's translation may be reused; one that depends on more
   *     than its own files is translated on every read
   */
  CachedSectionTranslator(
      String top,
      BiPredicate<String, SettingsSection> cacheable,
      SectionTranslation<T> translation) {
    this.top = top;
    this.cacheable = cacheable;
    this.translation = translation;
  }

  /** The items of this read, by name; each refusal is recorded in {@code errors} instead. */
  Map<String, T> translate(SettingsParseResult parsed, Map<String, String> errors) {
    Map<String, Cached<T>> next = new HashMap<>();
    Map<String, T> items = new LinkedHashMap<>();
    SettingsSection sections = parsed.tree().section(top).orElseGet(SettingsSection::new);
    for (Map.Entry<String, SettingsSection> e : sections.sections().entrySet()) {
      try {
        T item = cached(e.getKey(), e.getValue(), parsed.contents(), next);
        if (item != null) {
          items.put(e.getKey(), item);
        }
      } catch (ConfigItemException ex) {
        errors.merge(e.getKey(), ex.getMessage(), (a, b) -> a + "; " + b);
      }
    }
    // an item split over a good and a broken file is incomplete: keep charon's version
    errors.keySet().forEach(items::remove);
    previous = next;
    return items;
  }

  private T cached(
      String name, SettingsSection section, Map<Path, String> texts, Map<String, Cached<T>> next)
      throws ConfigItemException {
    Map<Path, String> sourceTexts = new HashMap<>();
    section.sources().forEach(p -> sourceTexts.put(p, texts.get(p)));
    Cached<T> hit = previous.get(name);
    if (hit != null && hit.sourceTexts().equals(sourceTexts)) {
      next.put(name, hit);
      return hit.item();
    }
    T item = translation.translate(name, section);
    if (cacheable.test(name, section)) {
      next.put(name, new Cached<>(sourceTexts, item));
    }
    return item;
  }
}
