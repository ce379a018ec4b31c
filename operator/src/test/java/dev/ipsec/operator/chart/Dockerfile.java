package dev.ipsec.operator.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its instructions (continuation lines joined, comments dropped), and the
 * image policy of this project checked on it: pinned base images, no secrets baked in, and, for
 * images that ask for it, a non-root numeric user.
 */
record Dockerfile(List<Instruction> instructions) {
  private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");

  /**
   * An exact version: at least major.minor somewhere in the tag, e.g. 12.11-slim, 17.0.15_6-jre.
   */
  private static final Pattern EXACT_VERSION_TAG = Pattern.compile("[\\w.-]*\\d+\\.\\d+[\\w.-]*");

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(secret|passw|token|api_?key|private_?key|credential|psk|auth).*");
  private static final Pattern SECRET_FILE =
      Pattern.compile(
          "(?i).*(\\.pem|\\.key|\\.p12|\\.pfx|\\.jks|\\.crt|id_rsa|id_ecdsa|id_ed25519"
              + "|secret|credential|\\.env|\\.npmrc|\\.netrc)$");
  private static final Pattern NUMERIC_NON_ROOT_USER = Pattern.compile("^([1-9]\\d*)(:\\d+)?$");

  record Instruction(String keyword, String arguments) {}

  static Dockerfile read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue; // comments may sit between continuation lines too
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String joined = current.toString().strip();
      current.setLength(0);
      if (!joined.isEmpty()) {
        String[] parts = joined.split("\\s+", 2);
        instructions.add(
            new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
      }
    }
    return new Dockerfile(List.copyOf(instructions));
  }

  /** The tag of an image reference, or null; a registry's port is not a tag. */
  private static String tag(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
  }

  List<String> arguments(String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  /** Problems with the policy; empty when the Dockerfile complies. */
  List<String> problems(boolean requireNonRootUser) {
    List<String> problems = new ArrayList<>();
    Set<String> stages = new HashSet<>();
    for (String from : arguments("FROM")) {
      String[] words = from.replaceAll("--platform=\\S+\\s*", "").split("\\s+");
      String image = words[0];
      if (words.length >= 3 && words[1].equalsIgnoreCase("AS")) {
        stages.add(words[2].toLowerCase(Locale.ROOT));
      }
      if (stages.contains(image.toLowerCase(Locale.ROOT)) && !image.contains(":")) {
        continue; // an earlier build stage
      }
      String withoutDigest = DIGEST.matcher(image).replaceAll("");
      boolean digest = !withoutDigest.equals(image);
      String tag = tag(withoutDigest);
      if ("latest".equals(tag)
          || (!digest && (tag == null || !EXACT_VERSION_TAG.matcher(tag).matches()))) {
        problems.add(
            "FROM " + image + ": base image not pinned to an exact version tag or a digest");
      }
    }
    for (String keyword : List.of("ENV", "ARG", "LABEL")) {
      for (String arguments : arguments(keyword)) {
        Matcher names =
            Pattern.compile("(?:^|\\s)([A-Za-z_][\\w.-]*)(?==|\\s|$)").matcher(arguments);
        while (names.find()) {
          if (SECRET_NAME.matcher(names.group(1)).matches()) {
            problems.add(
                keyword + " " + names.group(1) + ": looks like a secret baked into the image");
          }
        }
      }
    }
    for (String keyword : List.of("COPY", "ADD")) {
      for (String arguments : arguments(keyword)) {
        List<String> words =
            new ArrayList<>(List.of(arguments.replaceAll("--\\S+\\s*", "").split("\\s+")));
        words.remove(words.size() - 1); // the destination
        for (String source : words) {
          if (SECRET_FILE.matcher(source).matches()) {
            problems.add(keyword + " " + source + ": copies a key or secret into the image");
          }
          if (keyword.equals("ADD") && source.matches("(?i)https?://.*")) {
            problems.add(
                "ADD " + source + ": remote content is not pinned; download in a verified RUN");
          }
        }
      }
    }
    if (requireNonRootUser) {
      List<String> users = arguments("USER");
      if (users.isEmpty()
          || !NUMERIC_NON_ROOT_USER.matcher(users.get(users.size() - 1)).matches()) {
        problems.add(
            "USER: the image must end with a numeric non-root user (runAsNonRoot checks a UID),"
                + " found "
                + users);
      }
    }
    return problems;
  }
}
