package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.manifest.ConfigManifestJson.InvalidManifestException;
import dev.ipsec.operator.settings.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks the configuration volume against the operator's two manifests, {@value
 * ConfigManifest#PUBLIC_FILE} (from the root ConfigMap) and {@value ConfigManifest#SECRET_FILE}
 * (from the root Secret), both at the volume's root.
 *
 * <p>The volume holds a complete revision when both manifests parse, name the same revision, list
 * disjoint paths, and every listed file is there (nested or flat, see {@link ConfigTree}), inside
 * the volume, a regular file of at most 1 MiB, with the listed SHA-256. Each listed file is read
 * exactly once, and the complete revision carries those bytes ({@link VerifiedView}): nothing is
 * read again between the check and the load.
 *
 * <p>A kubelet swap of {@code ..data} while checking would mix two generations; the check is then
 * repeated (a few times at most: the kubelet swaps rarely).
 *
 * <p>A swap rewrites every file, but few change: a manifest whose bytes are those of the previous
 * check is not parsed again, and a file whose bytes equal those that matched the same digest last
 * time is not hashed again. Not thread-safe: the agent loop owns it.
 */
public final class ManifestVerifier {

  /** Names of files listed per problem line; the lists in the state hold them all. */
  private static final int NAMED_IN_PROBLEM = 3;

  private final Path root;

  /** The manifests of the last check, by file name, with the bytes they were parsed from. */
  private Map<String, ManifestRead> lastManifests = new HashMap<>();

  /** The files that matched in the last check, with the digest they matched. */
  private Map<String, Matched> lastMatched = new HashMap<>();

  private record Matched(String digest, byte[] content) {}

  public ManifestVerifier(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /**
   * @throws IOException only when the volume itself cannot be read (it is missing, say)
   */
  public VolumeCheck check() throws IOException {
    for (int attempt = 1; ; attempt++) {
      Optional<Path> generation = dataGeneration();
      VolumeCheck check = checkOnce();
      if (generation.equals(dataGeneration()) || attempt == 5) {
        return check;
      }
    }
  }

  /** Where {@code ..data} points now (empty for a plain directory). */
  private Optional<Path> dataGeneration() {
    Path data = root.resolve("..data");
    try {
      return Files.isSymbolicLink(data)
          ? Optional.of(Files.readSymbolicLink(data))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A manifest as found: parsed (from {@code bytes}), or absent, or refused with a reason. */
  private record ManifestRead(
      String file, byte[] bytes, ConfigManifest manifest, boolean absent, String error) {
    boolean usable() {
      return manifest != null;
    }
  }

  private VolumeCheck checkOnce() throws IOException {
    VolumeFileReader reader = new VolumeFileReader(root);
    VolumeListing listing = VolumeListing.of(root);
    ManifestRead publicManifest = readManifest(reader, ConfigManifest.PUBLIC_FILE);
    ManifestRead secretManifest = readManifest(reader, ConfigManifest.SECRET_FILE);
    lastManifests =
        Map.of(publicManifest.file(), publicManifest, secretManifest.file(), secretManifest);
    Set<String> listed = new HashSet<>();
    Stream.of(publicManifest, secretManifest)
        .filter(ManifestRead::usable)
        .forEach(m -> listed.addAll(m.manifest().files().keySet()));
    List<String> unlisted = listing.unlisted(listed);

    String disagreement = disagreement(publicManifest, secretManifest);
    if (disagreement != null) {
      return VolumeCheck.incomplete(
          announcedRevision(publicManifest, secretManifest), disagreement, unlisted);
    }
    String revision = publicManifest.manifest().revision();
    SortedMap<String, byte[]> files = new TreeMap<>();
    Map<String, Matched> matched = new HashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (ConfigManifest manifest : List.of(publicManifest.manifest(), secretManifest.manifest())) {
      for (String path : manifest.files().keySet()) {
        Optional<Path> holder = listing.holderOf(path);
        VolumeFileReader.Outcome read =
            holder.isEmpty()
                ? VolumeFileReader.Outcome.ABSENT
                : reader.read(holder.get(), VolumeFileReader.MAX_FILE_BYTES);
        if (read.absent()) {
          missing.add(path);
        } else if (read.refusal() != null) {
          mismatched.add(path);
          mismatches.add(path + " " + read.refusal());
        } else if (matches(manifest, path, read.content())) {
          files.put(path, read.content());
          matched.put(path, new Matched(manifest.files().get(path), read.content()));
        } else {
          mismatched.add(path);
          mismatches.add(path + " does not match its digest");
        }
      }
    }
    lastMatched = matched;
    if (missing.isEmpty() && mismatched.isEmpty()) {
      return VolumeCheck.complete(new VerifiedView(revision, files), unlisted);
    }
    missing.sort(null);
    mismatched.sort(null);
    return new VolumeCheck(
        null,
        revision,
        missing,
        mismatched,
        incompleteness(revision, missing, mismatches),
        unlisted);
  }

  /** Whether {@code content} is what the manifest lists, hashing only what changed. */
  private boolean matches(ConfigManifest manifest, String path, byte[] content) {
    Matched before = lastMatched.get(path);
    if (before != null
        && before.digest().equals(manifest.files().get(path))
        && Arrays.equals(before.content(), content)) {
      return true;
    }
    return manifest.matches(path, content);
  }

  private ManifestRead readManifest(VolumeFileReader reader, String file) {
    VolumeFileReader.Outcome read = reader.read(root.resolve(file), ConfigManifestJson.MAX_BYTES);
    if (read.absent()) {
      return new ManifestRead(file, null, null, true, null);
    }
    if (read.refusal() != null) {
      return new ManifestRead(file, null, null, false, file + " " + read.refusal());
    }
    ManifestRead before = lastManifests.get(file);
    if (before != null && Arrays.equals(before.bytes(), read.content())) {
      return before;
    }
    try {
      ConfigManifest manifest = ConfigManifestJson.read(read.content());
      return new ManifestRead(file, read.content(), manifest, false, null);
    } catch (InvalidManifestException e) {
      // the parser's detail may quote a value, and the secret manifest's values are digests of
      // secret files: the state and the logs get only its name
      String why =
          file.equals(ConfigManifest.SECRET_FILE)
              ? file + " is not a valid manifest"
              : file + ": " + e.getMessage();
      return new ManifestRead(file, read.content(), null, false, why);
    }
  }

  /** Why the two manifests do not describe one revision together, or null when they do. */
  private static String disagreement(ManifestRead publicManifest, ManifestRead secretManifest) {
    if (publicManifest.absent() && secretManifest.absent()) {
      return "no manifest";
    }
    for (ManifestRead m : List.of(publicManifest, secretManifest)) {
      if (m.absent()) {
        return m.file() + " is missing";
      }
      if (!m.usable()) {
        return m.error();
      }
    }
    ConfigManifest p = publicManifest.manifest();
    ConfigManifest s = secretManifest.manifest();
    if (!p.revision().equals(s.revision())) {
      return publicManifest.file()
          + " names revision "
          + p.revision()
          + ", "
          + secretManifest.file()
          + " names "
          + s.revision();
    }
    List<String> both = p.files().keySet().stream().filter(s.files()::containsKey).toList();
    if (!both.isEmpty()) {
      return "both manifests list " + named(both);
    }
    return null;
  }

  /** The revision the readable manifests agree on, or null. */
  private static String announcedRevision(ManifestRead a, ManifestRead b) {
    if (a.usable() && b.usable()) {
      return a.manifest().revision().equals(b.manifest().revision())
          ? a.manifest().revision()
          : null;
    }
    return a.usable() ? a.manifest().revision() : b.usable() ? b.manifest().revision() : null;
  }

  private static String incompleteness(
      String revision, List<String> missing, List<String> mismatches) {
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add(missing.size() + " listed file(s) missing: " + named(missing));
    }
    if (!mismatches.isEmpty()) {
      mismatches.sort(null);
      parts.add(named(mismatches));
    }
    return "revision " + revision + " is incomplete: " + String.join("; ", parts);
  }

  private static String named(List<String> items) {
    String shown = String.join(", ", items.subList(0, Math.min(items.size(), NAMED_IN_PROBLEM)));
    return items.size() > NAMED_IN_PROBLEM
        ? shown + " and " + (items.size() - NAMED_IN_PROBLEM) + " more"
        : shown;
  }
}
