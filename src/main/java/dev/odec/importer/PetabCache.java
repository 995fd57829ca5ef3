package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The translations of PEtab problems that {@code run}, {@code grad}, {@code fit} and
 * {@code profile} use in place of a model file, kept on disk under a key that hashes every file
 * of the problem (and the odec build that translated it): a second call on an unchanged problem
 * reads three small files instead of parsing the SBML and the tables. The folder is the system
 * property {@code odec.cache} if set, else {@code $XDG_CACHE_HOME/odec} or {@code ~/.cache/odec};
 * entries are written to a temporary folder and renamed, so a crash never leaves half an entry.
 */
public final class PetabCache {
  /** A translated problem's files: the model, data and conditions, and the warnings of the translation. */
  public record Files(Path model, Path data, Path conditions, List<String> warnings) {}

  private PetabCache() {}

  public static Files get(Path yaml) {
    Path root = root();
    String key = key(yaml);
    Path dir = root.resolve("petab").resolve(key);
    Files hit = read(dir);
    if (hit != null) return hit;
    PetabImport.Result r = PetabImport.translate(yaml);
    try {
      java.nio.file.Files.createDirectories(dir.getParent());
      Path tmp = java.nio.file.Files.createTempDirectory(dir.getParent(), ".tmp-");
      write(tmp.resolve("name"), r.name());
      write(tmp.resolve(r.name() + ".ode"), r.odeText());
      write(tmp.resolve("data.csv"), r.dataCsv());
      write(tmp.resolve("conditions.csv"), r.conditionsCsv());
      write(tmp.resolve("warnings.txt"), String.join("\n", r.warnings()));
      try {
        java.nio.file.Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        deleteTree(tmp); // another process made it first
      }
    } catch (IOException e) {
      throw InputError.input("cannot write the translation of " + yaml + " to the cache " + root + ": " + e.getMessage()
          + " (set -Dodec.cache=DIR or XDG_CACHE_HOME to a writable folder)");
    }
    Files f = read(dir);
    if (f == null) throw InputError.input("the cache entry " + dir + " is unreadable");
    return f;
  }

  /** Every file of the problem at {@code yaml} (the YAML file, its tables and SBML model): outputs never replace them. */
  public static List<Path> problemFiles(Path yaml) {
    return PetabTables.read(yaml).files;
  }

  private static Files read(Path dir) {
    try {
      if (!java.nio.file.Files.isDirectory(dir)) return null;
      String name = java.nio.file.Files.readString(dir.resolve("name"), StandardCharsets.UTF_8).strip();
      String w = java.nio.file.Files.readString(dir.resolve("warnings.txt"), StandardCharsets.UTF_8);
      List<String> warnings = w.isBlank() ? List.of() : List.of(w.split("\n"));
      return new Files(dir.resolve(name + ".ode"), dir.resolve("data.csv"), dir.resolve("conditions.csv"), warnings);
    } catch (IOException e) {
      return null;
    }
  }

  private static Path root() {
    String prop = System.getProperty("odec.cache");
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "odec");
    return Path.of(System.getProperty("user.home"), ".cache", "odec");
  }

  /** SHA-256 over the build's identity and every file of the problem (names and bytes). */
  static String key(Path yaml) {
    PetabTables t = PetabTables.read(yaml);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(build().getBytes(StandardCharsets.UTF_8));
      for (Path p : t.files) {
        md.update(p.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        try {
          md.update(dev.odec.source.InputFiles.read(p, dev.odec.source.InputFiles.MAX_DATA_BYTES, "PEtab file"));
        } catch (IOException e) {
          throw InputError.input("cannot read " + p + ": " + e.getMessage());
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The odec build: its version and the time its classes were made (a rebuilt translator misses the cache). */
  private static String build() {
    try {
      var src = PetabCache.class.getProtectionDomain().getCodeSource();
      Path p = Path.of(src.getLocation().toURI());
      Path self = java.nio.file.Files.isDirectory(p) ? p.resolve("dev/odec/importer/PetabImport.class") : p;
      return p + "@" + java.nio.file.Files.getLastModifiedTime(self).toMillis();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static void write(Path p, String text) throws IOException {
    java.nio.file.Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = java.nio.file.Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
    }
  }
}
