package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.manifest.ConfigManifestJson.InvalidManifestException;
import dev.ipsec.operator.settings.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

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

  /**
   * Whether the last {@link #check()} found a complete revision: the base of {@link #checkChanged}.
   */
  private boolean lastComplete;

  /** The unlisted files the last {@link #check()} found. */
  private List<String> lastUnlisted = List.of();

  /** The files of the last complete view, by logical path: the base of {@link #checkChanged}. */
  private SortedMap<String, byte[]> lastFiles = new TreeMap<>();

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
        Function<String, Optional<Path>> holders,
        VolumeFileReader reader,
        ConfigManifest manifest,
        String path) {
      Optional<Path> holder = holders.apply(path);
      VolumeFileReader.Outcome read =
          holder.isEmpty()
              ? VolumeFileReader.Outcome.ABSENT
              : reader.read(holder.get(), VolumeFileReader.MAX_FILE_BYTES);
      if (read.absent()) {
        missing.add(path);
        return null;
      }
      if (read.refusal() != null) {
        mismatched.add(path);
        mismatches.add(path + " " + read.refusal());
        return null;
      }
      byte[] content = verifier.matching(manifest, path, read.content());
      if (content == null) {
        mismatched.add(path);
        mismatches.add(path + " does not match its digest");
        return null;
      }
      matched.put(path, new Matched(manifest.files().get(path), content));
      return content;
    }
  }

  /**
   * The manifests of one look: the roots, and the nested manifests the usable roots list, each a
   * listed file first (read and checked into {@code found}), then a manifest.
   */
  private record ManifestTree(
      ManifestRead publicRoot,
      ManifestRead secretRoot,
      List<ManifestRead> usable,
      List<String> refused,
      Map<String, ManifestRead> byFile) {

    /** Why these manifests are no revision (the first rule they break), or null. */
    String disagreement() {
      String why = disagreementOfRoots();
      return why == null ? structure(usable) : why;
    }

    /**
     * {@link #disagreement()} but for the {@link #structure} of the listing, which the caller
     * knows.
     */
    String disagreementOfRoots() {
      String why = ManifestVerifier.disagreement(publicRoot, secretRoot);
      if (why == null && !refused.isEmpty()) {
        why = refused.get(0);
      }
      return why;
    }

    Set<String> listed() {
      Set<String> listed = new HashSet<>();
      usable.forEach(m -> listed.addAll(m.manifest().files().keySet()));
      return listed;
    }
  }

  private ManifestTree readManifests(
      VolumeFileReader reader, Function<String, Optional<Path>> holders, Findings found) {
    Map<String, ManifestRead> manifestsNow = new HashMap<>();
    ManifestRead publicRoot =
        readRoot(reader, ConfigManifest.PUBLIC_FILE, ConfigManifest.Side.PUBLIC);
    ManifestRead secretRoot =
        readRoot(reader, ConfigManifest.SECRET_FILE, ConfigManifest.Side.SECRET);
    manifestsNow.put(publicRoot.file(), publicRoot);
    manifestsNow.put(secretRoot.file(), secretRoot);
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
          byte[] content = found.check(this, holders, reader, rootRead.manifest(), path);
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
    return new ManifestTree(publicRoot, secretRoot, usable, refused, manifestsNow);
  }

  private VolumeCheck checkOnce() throws IOException {
    VolumeFileReader reader = new VolumeFileReader(root);
    VolumeListing listing = VolumeListing.of(root);
    Findings found = new Findings();
    ManifestTree tree = readManifests(reader, listing::holderOf, found);
    lastManifests = tree.byFile();
    List<String> unlisted = listing.unlisted(tree.listed());
    lastUnlisted = unlisted;
    lastComplete = false;

    String disagreement = tree.disagreement();
    if (disagreement != null) {
      lastMatched.putAll(found.matched);
      return VolumeCheck.incomplete(
          announcedRevision(tree.publicRoot(), tree.secretRoot()),
          List.of(),
          List.of(),
          disagreement,
          unlisted);
    }
    String revision = tree.publicRoot().manifest().revision();
    for (ManifestRead manifest : tree.usable()) {
      for (String path : manifest.manifest().files().keySet()) {
        if (ConfigManifest.isNested(path)) {
          continue; // read above
        }
        byte[] content = found.check(this, listing::holderOf, reader, manifest.manifest(), path);
        if (content != null) {
          found.files.put(path, content);
        }
      }
    }
    lastMatched = found.matched;
    if (found.missing.isEmpty() && found.mismatched.isEmpty()) {
      lastComplete = true;
      lastFiles = found.files;
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
   * The complete revision the volume now announces, checked only where its manifests changed: when
   * the last {@link #check()} found the volume complete, and the manifests (all of them read and
   * checked as by {@link #check()}) form a revision in which some listed digests differ from those
   * the files matched then, only the files with a new digest are read and checked; every other file
   * is the one whose bytes matched the same digest before. So a one-peer change reads the manifests
   * and one or two files, not the whole volume.
   *
   * <p>The disk copies of the files not read are not looked at: the caller must follow with a
   * {@link #check()}, which reads every file and reports one that no longer matches (someone edited
   * a shard behind its manifest). What this view holds is still exactly what the manifests list,
   * each file with bytes that matched the listed digest; a file changed under an unchanged digest
   * is never in it.
   *
   * @return empty when anything is out of the ordinary (the last check was not complete, a manifest
   *     or a changed file is missing or does not match, a swap happened meanwhile) or nothing
   *     changed: then {@link #check()} is the answer
   * @throws IOException only when the volume itself cannot be read
   */
  public Optional<VolumeCheck> checkChanged() throws IOException {
    if (!lastComplete) {
      return Optional.empty();
    }
    Optional<Path> generation = dataGeneration();
    VolumeFileReader reader = new VolumeFileReader(root);
    Findings found = new Findings();
    ManifestTree tree = readManifests(reader, this::holderOf, found);
    if (tree.disagreementOfRoots() != null
        || !found.missing.isEmpty()
        || !found.mismatched.isEmpty()) {
      return Optional.empty();
    }
    // A manifest with the bytes of the last look is that look's very ManifestRead (see parse), and
    // lists what it listed then: its files are in lastFiles with the bytes that matched. Only the
    // manifests read anew, and those of the last look that are gone, can change what is listed.
    Map<String, ManifestRead> now = new HashMap<>();
    tree.usable().forEach(m -> now.put(m.file(), m));
    List<ManifestRead> readAnew = new ArrayList<>();
    for (ManifestRead m : tree.usable()) {
      if (lastManifests.get(m.file()) != m) {
        readAnew.add(m);
      }
    }
    List<ManifestRead> replaced = new ArrayList<>();
    for (ManifestRead m : lastManifests.values()) {
      if (m.usable() && now.get(m.file()) != m) {
        replaced.add(m);
      }
    }
    // the rules of the tree hold as they held in the last (complete) look when the same manifests
    // list the same paths: only digests and revisions changed, as in a one-peer change
    if (!sameListing(readAnew, replaced) && structure(tree.usable()) != null) {
      return Optional.empty();
    }
    Map<String, byte[]> changedFiles = new HashMap<>();
    boolean newDigest = false;
    for (ManifestRead manifest : readAnew) {
      for (Map.Entry<String, String> listed : manifest.manifest().files().entrySet()) {
        String path = listed.getKey();
        if (ConfigManifest.isNested(path)) {
          continue; // read above
        }
        Matched before = lastMatched.get(path);
        if (before != null && before.digest().equals(listed.getValue())) {
          if (lastFiles.get(path) != before.content()) {
            changedFiles.put(path, before.content()); // listed by another manifest before
          }
          continue;
        }
        newDigest = true;
        byte[] content = found.check(this, this::holderOf, reader, manifest.manifest(), path);
        if (content == null) {
          return Optional.empty();
        }
        changedFiles.put(path, content);
      }
    }
    if (!newDigest || !generation.equals(dataGeneration())) {
      return Optional.empty(); // no file with a new digest: the full check answers
    }
    // what the replaced manifests listed and no manifest lists now is gone from the view
    List<String> gone = new ArrayList<>();
    for (ManifestRead old : replaced) {
      if (!now.containsKey(old.file())) {
        gone.add(old.file()); // a shard's manifest no root lists now
      }
      for (String path : old.manifest().files().keySet()) {
        if (!ConfigManifest.isNested(path) && !listedBy(readAnew, path)) {
          gone.add(path);
        }
      }
    }
    SortedMap<String, byte[]> files = new TreeMap<>(lastFiles);
    files.putAll(changedFiles);
    gone.forEach(files::remove);
    lastManifests = tree.byFile();
    lastMatched.putAll(found.matched);
    gone.forEach(lastMatched::remove);
    lastFiles = files;
    return Optional.of(
        VolumeCheck.complete(
            new VerifiedView(tree.publicRoot().manifest().revision(), files), lastUnlisted));
  }

  /**
   * Whether the manifests read anew replace those of the last look one for one (same file, same
   * side) and list the same paths: then {@link #structure} gives what it gave then.
   */
  private boolean sameListing(List<ManifestRead> readAnew, List<ManifestRead> replaced) {
    if (readAnew.size() != replaced.size()) {
      return false;
    }
    for (ManifestRead m : readAnew) {
      ManifestRead before = lastManifests.get(m.file());
      if (before == null
          || !before.usable()
          || before.side() != m.side()
          || !samePaths(before.manifest(), m.manifest())) {
        return false;
      }
    }
    return true;
  }

  /** The same paths in both: one walk of the two sorted listings, no lookup per path. */
  private static boolean samePaths(ConfigManifest a, ConfigManifest b) {
    if (a.files().size() != b.files().size()) {
      return false;
    }
    Iterator<String> other = b.files().keySet().iterator();
    for (String path : a.files().keySet()) {
      if (!path.equals(other.next())) {
        return false;
      }
    }
    return true;
  }

  private static boolean listedBy(List<ManifestRead> manifests, String path) {
    for (ManifestRead m : manifests) {
      if (m.manifest().files().containsKey(path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The file that holds a logical path, looked up directly rather than listed: the nested file when
   * there is one, else the flat one (as {@link VolumeListing} decides), else none.
   */
  private Optional<Path> holderOf(String logicalPath) {
    Path nested = root.resolve(logicalPath);
    if (Files.exists(nested, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(nested);
    }
    Path flat = root.resolve(logicalPath.replace("/", ConfigTree.SEPARATOR));
    return logicalPath.contains("/") && Files.exists(flat, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(flat)
        : Optional.empty();
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

  /**
   * {@code content} when it is what the manifest lists, else null; hashes only what changed. Bytes
   * equal to those that matched the same digest before are answered with those very bytes, so
   * unchanged files keep one identity from look to look (the parser's caches compare by it first).
   */
  private byte[] matching(ConfigManifest manifest, String path, byte[] content) {
    Matched before = lastMatched.get(path);
    if (before != null
        && before.digest().equals(manifest.files().get(path))
        && Arrays.equals(before.content(), content)) {
      return before.content();
    }
    return manifest.matches(path, content) ? content : null;
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
