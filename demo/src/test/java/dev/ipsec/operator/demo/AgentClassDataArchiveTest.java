package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which class paths get an agent class-data archive, and where it may live: only plain jars (the
 * JVM archives nothing from a directory and refuses to write the archive with one on the path), and
 * only in a directory no other user may write to (the JVM trusts an archive's content).
 */
class AgentClassDataArchiveTest {

  @TempDir Path tmp;

  @Test
  void plainJarsCanBeArchived() throws IOException {
    String classPath = jar("a.jar", null) + File.pathSeparator + jar("b.jar", null);
    assertThat(AgentClassDataArchive.unarchivableEntry(classPath)).isEmpty();
  }

  @Test
  void aDirectoryOnTheClassPathIsNamed() throws IOException {
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "not really");
    String classPath = jar("a.jar", null) + File.pathSeparator + classes;
    assertThat(AgentClassDataArchive.unarchivableEntry(classPath))
        .hasValue("the directory " + classes);
  }

  @Test
  void aJarWithAClassPathOfItsOwnIsNamed() throws IOException {
    Path booter = jar("booter.jar", "lib/a.jar lib/b.jar");
    assertThat(AgentClassDataArchive.unarchivableEntry(booter.toString()))
        .hasValue("the jar " + booter + " with a Class-Path of its own");
  }

  @Test
  void noArchiveIsMadeOrUsedForAClassPathWithADirectory() throws IOException {
    Path cache = Files.createDirectory(tmp.resolve("cache"));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    assertThat(AgentClassDataArchive.findOrMake(cache, classes.toString())).isEmpty();
    try (var files = Files.list(cache)) {
      assertThat(files).as("no training run left anything").isEmpty();
    }
  }

  @Test
  void anArchiveMadeBeforeIsUsedOnlyFromADirectoryNoOtherUserMayWriteTo() throws IOException {
    Path cache = Files.createDirectory(tmp.resolve("cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
    String classPath = jar("a.jar", null).toString();
    Path archive = AgentClassDataArchive.archiveIn(cache, classPath);
    Files.writeString(archive, "an archive of an earlier run");
    assertThat(AgentClassDataArchive.findOrMake(cache, classPath)).hasValue(archive);

    for (String open : new String[] {"rwxrwx---", "rwx---rwx", "rwxrwxrwx"}) {
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString(open));
      assertThat(AgentClassDataArchive.findOrMake(cache, classPath)).as(open).isEmpty();
    }
  }

  @Test
  void aRebuiltJarHasAnotherArchive() throws IOException {
    Path cache = Files.createDirectory(tmp.resolve("cache"));
    Path jar = jar("a.jar", null);
    Path before = AgentClassDataArchive.archiveIn(cache, jar.toString());
    Files.write(jar, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    assertThat(AgentClassDataArchive.archiveIn(cache, jar.toString())).isNotEqualTo(before);
  }

  private Path jar(String name, String manifestClassPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (manifestClassPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, manifestClassPath);
    }
    Path jar = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // a manifest only
    }
    return jar;
  }
}
