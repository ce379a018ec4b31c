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

/**
 * Checks the configuration volume against the operator's manifests: the two roots, {@value
 * ConfigManifest#PUBLIC_FILE} (from the root ConfigMap) and {@value ConfigManifest#SECRET_FILE}
 * (from the root Secret), both at the volume's root, and the shards' manifests they list.
 *
 * <p>The manifests are a tree of depth two ({@link ConfigManifest}). A path a root lists in the
 * folder {@value ConfigManifest#NESTED_FOLDER} is a nested manifest: it is read and checked against
 * its digest like any listed file, parsed strictly, and the files it lists are expected too. A
 * nested manifest must be a shard manifest of the listing root's side, and lists no nested manifest
 * itself; a secret file ({@link ConfigManifest#SECRET_FOLDERS}) is listed on the secret side only,
 * so that no digest of one comes from a ConfigMap; and no path is listed twice across all
 * manifests.
 *
 * <p>The volume holds a complete revision when both roots parse and name the same revision, the
 * tree holds those rules, and every listed file is there (nested or flat, see {@link ConfigTree}),
 * inside the volume, a regular file of at most 1 MiB, with the listed SHA-256. Each listed file is
 * read exactly once, and the complete revision carries those bytes ({@link VerifiedView}): nothing
 * is read again between the check and the load. A missing or mismatched nested manifest is reported
 * like any listed file; the files it would list are then unknown, and unlisted until it matches.
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

  /**
   * The manifests of the last check, roots by file name and nested ones by logical path, with the
   * bytes they were parsed from.
   */
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

  /**
   * A manifest as found: parsed (from {@code bytes}), or absent, or refused with a reason.
   *
   * @param file a root's file name, or a nested manifest's logical path
   * @param side the side it lists: a root's, or the side its name gives a nested one
   */
  private record ManifestRead(
      String file,
      ConfigManifest.Side side,
      byte[] bytes,
      ConfigManifest manifest,
      boolean absent,
      String error) {
    boolean usable() {
      return manifest != null;
    }
  }

  /** What one check found out about the listed files, as it goes. */
  private static final class Findings {
    final SortedMap<String, byte[]> files = new TreeMap<>();
    final Map<String, Matched> matched = new HashMap<>();
    final List<String> missing = new ArrayList<>();
    final List<String> mismatched = new ArrayList<>();
    final List<String> mismatches = new ArrayList<>();

    /** Reads one listed file and records what it is; returns its bytes when it matched. */
    byte[] check(
        ManifestVerifier verifier,
        VolumeListing listing,
        VolumeFileReader reader,
        ConfigManifest manifest,
        String path) {
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
      } else if (verifier.matches(manifest, path, read.content())) {
        matched.put(path, new Matched(manifest.files().get(path), read.content()));
        return read.content();
      } else {
        mismatched.add(path);
        mismatches.add(path + " does not match its digest");
      }
      return null;
    }
  }

  private VolumeCheck checkOnce() throws IOException {
    VolumeFileReader reader = new VolumeFileReader(root);
    VolumeListing listing = VolumeListing.of(root);
    Map<String, ManifestRead> manifestsNow = new HashMap<>();
    ManifestRead publicRoot =
        readRoot(reader, ConfigManifest.PUBLIC_FILE, ConfigManifest.Side.PUBLIC);
    ManifestRead secretRoot =
        readRoot(reader, ConfigManifest.SECRET_FILE, ConfigManifest.Side.SECRET);
    manifestsNow.put(publicRoot.file(), publicRoot);
    manifestsNow.put(secretRoot.file(), secretRoot);

    // the nested manifests the usable roots list: each a listed file first, then a manifest
    Findings found = new Findings();
    List<ManifestRead> usable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (ManifestRead rootRead : List.of(publicRoot, secretRoot)) {
      if (!rootRead.usable()) {
        continue;
      }
      usable.add(rootRead);
      for (String path : rootRead.manifest().files().keySet()) {
        if (!ConfigManifest.isNested(path)) {
          continue;
        }
        Optional<ConfigManifest.Side> side = ConfigManifest.nestedSide(path);
        if (side.isEmpty()) {
          refused.add(rootRead.file() + " lists " + path + ", which names no shard's manifest");
        } else if (side.get() != rootRead.side()) {
          refused.add(
              rootRead.file()
                  + " lists "
                  + path
                  + ", the manifest of a "
                  + (side.get() == ConfigManifest.Side.SECRET ? "secret" : "config")
                  + " shard, which only "
                  + rootFile(side.get())
                  + " may list");
        } else {
          byte[] content = found.check(this, listing, reader, rootRead.manifest(), path);
          if (content != null) {
            ManifestRead nested = parse(path, side.get(), content);
            manifestsNow.put(path, nested);
            if (nested.usable()) {
              usable.add(nested);
            } else {
              refused.add(nested.error());
            }
          }
        }
      }
    }
    lastManifests = manifestsNow;
    Set<String> listed = new HashSet<>();
    usable.forEach(m -> listed.addAll(m.manifest().files().keySet()));
    List<String> unlisted = listing.unlisted(listed);

    String disagreement = disagreement(publicRoot, secretRoot);
    if (disagreement == null && !refused.isEmpty()) {
      disagreement = refused.get(0);
    }
    if (disagreement == null) {
      disagreement = structure(usable);
    }
    if (disagreement != null) {
      lastMatched.putAll(found.matched);
      return VolumeCheck.incomplete(
          announcedRevision(publicRoot, secretRoot), List.of(), List.of(), disagreement, unlisted);
    }
    String revision = publicRoot.manifest().revision();
    for (ManifestRead manifest : usable) {
      for (String path : manifest.manifest().files().keySet()) {
        if (ConfigManifest.isNested(path)) {
          continue; // read above
        }
        byte[] content = found.check(this, listing, reader, manifest.manifest(), path);
        if (content != null) {
          found.files.put(path, content);
        }
      }
    }
    lastMatched = found.matched;
    if (found.missing.isEmpty() && found.mismatched.isEmpty()) {
      return VolumeCheck.complete(new VerifiedView(revision, found.files), unlisted);
    }
    found.missing.sort(null);
    found.mismatched.sort(null);
    return VolumeCheck.incomplete(
        revision,
        found.missing,
        found.mismatched,
        incompleteness(revision, found.missing, found.mismatches),
        unlisted);
  }

  /**
   * Whether the manifests, all parsed, form the tree the operator writes: a nested manifest lists
   * no nested manifest, the public side no secret file, and no path is listed twice. Names paths
   * and manifests only, never a digest.
   *
   * @return the first rule broken, or null
   */
  private static String structure(List<ManifestRead> manifests) {
    Map<String, String> listedBy = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (ManifestRead m : manifests) {
      boolean nested = ConfigManifest.isNested(m.file());
      for (String path : m.manifest().files().keySet()) {
        if (nested && ConfigManifest.isNested(path)) {
          return m.file() + " lists " + path + ": a shard's manifest lists files only";
        }
        if (m.side() == ConfigManifest.Side.PUBLIC
            && ConfigManifest.side(path) == ConfigManifest.Side.SECRET) {
          return m.file()
              + " lists "
              + path
              + ", a secret file, which only "
              + ConfigManifest.SECRET_FILE
              + " and the secret shards' manifests may list";
        }
        String first = listedBy.putIfAbsent(path, m.file());
        if (first != null) {
          twice.add(path + " (" + first + ", " + m.file() + ")");
        }
      }
    }
    return twice.isEmpty() ? null : "listed by two manifests: " + named(twice);
  }

  private static String rootFile(ConfigManifest.Side side) {
    return side == ConfigManifest.Side.PUBLIC
        ? ConfigManifest.PUBLIC_FILE
        : ConfigManifest.SECRET_FILE;
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

  private ManifestRead readRoot(VolumeFileReader reader, String file, ConfigManifest.Side side) {
    VolumeFileReader.Outcome read = reader.read(root.resolve(file), ConfigManifestJson.MAX_BYTES);
    if (read.absent()) {
      return new ManifestRead(file, side, null, null, true, null);
    }
    if (read.refusal() != null) {
      return new ManifestRead(file, side, null, null, false, file + " " + read.refusal());
    }
    return parse(file, side, read.content());
  }

  /** A manifest from its bytes: the one of the last check when they are the same. */
  private ManifestRead parse(String file, ConfigManifest.Side side, byte[] content) {
    ManifestRead before = lastManifests.get(file);
    if (before != null && before.side() == side && Arrays.equals(before.bytes(), content)) {
      return before;
    }
    try {
      ConfigManifest manifest = ConfigManifestJson.read(content);
      return new ManifestRead(file, side, content, manifest, false, null);
    } catch (InvalidManifestException e) {
      // the parser's detail may quote a value, and a secret side manifest's values are digests of
      // secret files: the state and the logs get only its name
      String why =
          side == ConfigManifest.Side.SECRET
              ? file + " is not a valid manifest"
              : file + ": " + e.getMessage();
      return new ManifestRead(file, side, content, null, false, why);
    }
  }

  /** Why the two roots do not describe one revision together, or null when they do. */
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
