package dev.ipsec.operator.settings;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser for the strongSwan settings format ({@code swanctl.conf}, {@code strongswan.conf}), as
 * implemented by strongSwan's settings lexer and grammar:
 *
 * <ul>
 *   <li>{@code name { ... }} sections, {@code key = value} settings, one per line;
 *   <li>a value runs to the end of the line, a {@code #} or a {@code }}; its words are joined by
 *       single spaces; double-quoted parts keep their spaces and understand {@code \n \r \t \" \\}
 *       escapes and backslash-newline continuations;
 *   <li>{@code include <glob>} relative to the including file, matches sorted by path, names
 *       starting with a dot only matched by patterns starting with a dot (POSIX glob); a pattern
 *       without matches is ignored, like strongSwan does;
 *   <li>sections with the same name are merged and later keys override earlier ones.
 * </ul>
 *
 * <p>Files come from a {@link SettingsSource}: a directory on disk, or files in memory. Every
 * include must stay inside the configuration directory, also after resolving symlinks. A file that
 * fails to parse contributes nothing (nor do the files it includes); the error is collected with
 * its file, line and section path and the other files are still parsed.
 */
public final class SettingsParser {

  /** The entry file of a swanctl configuration directory. */
  public static final String ENTRY_FILE = "swanctl.conf";

  private static final int MAX_INCLUDE_DEPTH = 10;

  private final SettingsSource source;
  private final Path root;
  private final List<SettingsException> errors = new ArrayList<>();
  private final Set<Path> failedFiles = new LinkedHashSet<>();
  private final Set<Path> parsedFiles = new LinkedHashSet<>();
  private final Map<Path, String> contents = new HashMap<>();
  private final ParseCache cache;

  private SettingsParser(SettingsSource source, ParseCache cache) {
    this.source = source;
    this.cache = cache;
    this.root = source.root();
  }

  /** Parses {@code swanctl.conf} of {@code configDir} and everything it includes. */
  public static SettingsParseResult parseDirectory(Path configDir) throws IOException {
    return parseDirectory(configDir, new ParseCache());
  }

  /** Like {@link #parse(SettingsSource, ParseCache)} of the directory on disk. */
  public static SettingsParseResult parseDirectory(Path configDir, ParseCache cache)
      throws IOException {
    return parse(new DirectorySource(configDir), cache);
  }

  /**
   * Parses {@code swanctl.conf} of {@code source} and everything it includes, reusing the trees of
   * files whose text is unchanged since the previous parse with the same {@code cache} (files with
   * includes are always parsed, since what they include can change without their text changing).
   */
  public static SettingsParseResult parse(SettingsSource source, ParseCache cache) {
    SettingsParser parser = new SettingsParser(source, cache);
    SettingsSection tree = new SettingsSection();
    parser.parseFile(parser.root.resolve(ENTRY_FILE), tree, List.of(), 0);
    cache.retainOnly(parser.parsedFiles);
    return new SettingsParseResult(
        tree, parser.errors, parser.failedFiles, parser.parsedFiles, parser.contents);
  }

  /** Parsed trees of include-free files by path, with the text they were parsed from. */
  public static final class ParseCache {
    private final Map<Path, Map.Entry<String, SettingsSection>> trees = new HashMap<>();

    SettingsSection get(Path file, String text) {
      Map.Entry<String, SettingsSection> e = trees.get(file);
      return e != null && e.getKey().equals(text) ? e.getValue() : null;
    }

    void put(Path file, String text, SettingsSection tree) {
      trees.put(file, Map.entry(text, tree));
    }

    void retainOnly(Set<Path> files) {
      trees.keySet().retainAll(files);
    }
  }

  /**
   * Parses one string as if it were file {@code name} (no includes allowed); for tests and tools.
   */
  public static SettingsSection parseString(String text, Path name) throws SettingsException {
    SettingsSection tree = new SettingsSection();
    new FileParser(null, name, text, List.of(), 0).parseInto(tree);
    return tree;
  }

  /** Parses {@code file} into {@code target}; on failure records the error and adds nothing. */
  private void parseFile(Path file, SettingsSection target, List<String> basePath, int depth) {
    Path normalized = file.toAbsolutePath().normalize();
    String text;
    try {
      text = source.read(normalized);
    } catch (IOException | RuntimeException e) {
      fail(
          new SettingsException(
              normalized, 0, basePath, "cannot read file: " + e.getClass().getSimpleName()));
      return;
    }
    int parsedBefore = parsedFiles.size();
    parsedFiles.add(normalized);
    contents.put(normalized, text);
    try {
      // a cached tree is only merged (copied) into the target, never modified
      SettingsSection fileTree = basePath.isEmpty() ? cache.get(normalized, text) : null;
      if (fileTree == null) {
        fileTree = new SettingsSection();
        FileParser fileParser = new FileParser(this, normalized, text, basePath, depth);
        fileParser.parseInto(fileTree);
        if (!fileParser.sawInclude && basePath.isEmpty()) {
          cache.put(normalized, text, fileTree);
        }
      }
      target.merge(fileTree);
    } catch (SettingsException e) {
      fail(e);
      // what this file included was discarded with it: those files count as failed too
      parsedFiles.stream().skip(parsedBefore).forEach(failedFiles::add);
    }
  }

  private void fail(SettingsException e) {
    errors.add(e);
    failedFiles.add(e.file());
  }

  private void include(
      Path includingFile,
      int line,
      String pattern,
      SettingsSection target,
      List<String> path,
      int depth)
      throws SettingsException {
    if (depth >= MAX_INCLUDE_DEPTH) {
      throw new SettingsException(
          includingFile, line, path, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
    }
    Path resolved = includingFile.getParent().resolve(pattern).normalize();
    if (!resolved.startsWith(root)) {
      throw new SettingsException(
          includingFile,
          line,
          path,
          "include '" + pattern + "' leaves the configuration directory");
    }
    List<Path> matches = expandGlob(root.relativize(resolved));
    String includedBy = "included by " + includingFile + ":" + line;
    for (Path match : matches) {
      if (!source.resolvesInside(match)) {
        fail(
            new SettingsException(
                match, 0, path, includedBy + " but resolves outside the configuration directory"));
      } else if (source.isDirectory(match)) {
        fail(new SettingsException(match, 0, path, includedBy + " but is a directory"));
      } else {
        parseFile(match, target, path, depth + 1);
      }
    }
  }

  /** Expands a relative glob component by component, like glob(3): sorted, dot-names hidden. */
  private List<Path> expandGlob(Path relativePattern) {
    List<Path> current = List.of(root);
    for (Path component : relativePattern) {
      String part = component.toString();
      List<Path> next = new ArrayList<>();
      for (Path dir : current) {
        if (!hasGlobChars(part)) {
          Path candidate = dir.resolve(part);
          if (source.exists(candidate)) {
            next.add(candidate);
          }
          continue;
        }
        if (!source.isDirectory(dir)) {
          continue;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + part);
        for (Path entry : source.children(dir)) {
          String name = entry.getFileName().toString();
          boolean hidden = name.startsWith(".") && !part.startsWith(".");
          if (!hidden && matcher.matches(entry.getFileName())) {
            next.add(entry);
          }
        }
      }
      next.sort(Comparator.comparing(Path::toString));
      current = next;
    }
    return current;
  }

  private static boolean hasGlobChars(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /** A recursive-descent parser for the text of one file. */
  private static final class FileParser {
    private final SettingsParser owner;
    private final Path file;
    private final String text;
    private final Deque<String> path;
    private final int depth;
    private int pos;
    private int line = 1;
    private boolean sawInclude;

    FileParser(SettingsParser owner, Path file, String text, List<String> basePath, int depth) {
      this.owner = owner;
      this.file = file;
      this.text = text;
      this.path = new ArrayDeque<>(basePath);
      this.depth = depth;
    }

    void parseInto(SettingsSection target) throws SettingsException {
      target.addSource(file);
      statements(target, false);
    }

    private void statements(SettingsSection section, boolean nested) throws SettingsException {
      while (true) {
        skipWhitespaceNewlinesAndComments();
        if (atEnd()) {
          if (nested) {
            throw error("missing '}' to close section '" + path.peekLast() + "'");
          }
          return;
        }
        char c = peek();
        if (c == '}') {
          if (!nested) {
            throw error("unexpected '}'");
          }
          pos++;
          return;
        }
        if (c == '{' || c == '=' || c == '"') {
          throw error("expected a name, found '" + c + "'");
        }
        int nameLine = line;
        String name = readName();
        skipBlanks();
        char after = atEnd() ? '\n' : peek();
        if (name.equals("include")
            && after != '='
            && after != '{'
            && after != '\n'
            && after != '#') {
          String pattern = readIncludePattern();
          sawInclude = true;
          if (owner == null) {
            throw error("include is not allowed here");
          }
          owner.include(file, nameLine, pattern, section, List.copyOf(path), depth);
        } else if (after == '{') {
          pos++;
          path.addLast(name);
          SettingsSection child = section.child(name);
          child.addSource(file);
          statements(child, true);
          path.removeLast();
        } else if (after == '=') {
          pos++;
          section.put(name, readValue());
        } else {
          throw error("expected '=' or '{' after '" + name + "'");
        }
      }
    }

    /** A name: everything up to whitespace or one of {@code # { } = "}. */
    private String readName() {
      int start = pos;
      while (!atEnd() && !isNameEnd(peek())) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private static boolean isNameEnd(char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#' || c == '{' || c == '}'
          || c == '=' || c == '"';
    }

    /** A value: words and quoted strings up to newline, '#' or '}', joined by single spaces. */
    private String readValue() throws SettingsException {
      List<String> parts = new ArrayList<>();
      while (true) {
        skipBlanks();
        if (atEnd()) {
          break;
        }
        char c = peek();
        if (c == '\n' || c == '#' || c == '}') {
          break;
        }
        if (c == '"') {
          parts.add(readQuoted());
        } else {
          int start = pos;
          while (!atEnd() && " \t\r\n#}\"".indexOf(peek()) < 0) {
            pos++;
          }
          parts.add(text.substring(start, pos));
        }
      }
      return String.join(" ", parts);
    }

    private String readIncludePattern() throws SettingsException {
      String pattern;
      if (peek() == '"') {
        pattern = readQuoted();
      } else {
        StringBuilder sb = new StringBuilder();
        while (!atEnd() && " \t\r\n#}".indexOf(peek()) < 0) {
          char c = text.charAt(pos++);
          if (c == '\\' && !atEnd() && "#} ".indexOf(peek()) >= 0) {
            c = text.charAt(pos++);
          }
          sb.append(c);
        }
        pattern = sb.toString();
      }
      skipBlanks();
      if (!atEnd() && peek() != '\n' && peek() != '#' && peek() != '}') {
        throw error("unexpected text after include pattern");
      }
      if (pattern.isEmpty()) {
        throw error("include without a pattern");
      }
      return pattern;
    }

    private String readQuoted() throws SettingsException {
      int startLine = line;
      pos++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw new SettingsException(file, startLine, List.copyOf(path), "unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\n') {
          line++;
        }
        if (c != '\\' || atEnd()) {
          sb.append(c);
          continue;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '\n' -> line++; // line continuation
          case '\r' -> {
            if (!atEnd() && peek() == '\n') {
              pos++;
              line++;
            }
          }
          default -> sb.append('\\').append(e);
        }
      }
    }

    private void skipBlanks() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) {
        pos++;
      }
    }

    private void skipWhitespaceNewlinesAndComments() {
      while (!atEnd()) {
        char c = peek();
        if (c == '\n') {
          line++;
          pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '#') {
          while (!atEnd() && peek() != '\n') {
            pos++;
          }
        } else {
          return;
        }
      }
    }

    private boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return text.charAt(pos);
    }

    private SettingsException error(String reason) {
      return new SettingsException(file, line, List.copyOf(path), reason);
    }
  }
}
