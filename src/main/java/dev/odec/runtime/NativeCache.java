package dev.odec.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiled programs of the C and CUDA backends, kept between runs in a cache folder:
 * {@code --cache-dir DIR}, else {@code $XDG_CACHE_HOME/odec/native}, else
 * {@code ~/.cache/odec/native}. Each build lives in a folder named by the SHA-256 of its source
 * and compiler command ({@code <hash>/model.c} or {@code model.cu}, and the binary {@code model}),
 * so a model compiles once and a changed model or compiler gets a new folder. Files are written
 * to temporary names and renamed, so concurrent runs never see half a binary; folders and files
 * get the permissions the user's umask allows. Nothing is written next to the user's model.
 */
public final class NativeCache {
  private final Path root;

  private NativeCache(Path root) {
    this.root = root;
  }

  /** The cache at {@code dir}, or at the default place when dir is null. */
  public static NativeCache at(Path dir) {
    if (dir != null) return new NativeCache(dir);
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return new NativeCache(base.resolve("odec").resolve("native"));
  }

  public Path root() {
    return root;
  }

  /** A compile error in generated code: a bug in odec (exit 4), with the kept source and the compiler's words. */
  public static final class CompileError extends RuntimeException {
    private final Path source;

    CompileError(Path source, String message) {
      super(message, null, false, false);
      this.source = source;
    }

    /** The generated source, kept for the bug report. */
    public Path source() {
      return source;
    }
  }

  /**
   * The binary of {@code source} built by {@code tc}: from the cache, or compiled now.
   *
   * @throws CompileError when the compiler rejects the source
   * @throws InputError when the cache folder cannot be written
   */
  public Path binary(String source, NativeToolchain tc) {
    String key = hash(source + "\n" + tc.signature()).substring(0, 24);
    Path dir = root.resolve(key);
    Path bin = dir.resolve("model");
    if (Files.isExecutable(bin)) return bin;
    Path src = dir.resolve("model" + tc.extension());
    try {
      Files.createDirectories(dir);
      String tag = ProcessHandle.current().pid() + "-" + Thread.currentThread().getId();
      Path tmpSrc = dir.resolve("model-" + tag + ".tmp" + tc.extension());
      Files.writeString(tmpSrc, source, StandardCharsets.UTF_8);
      move(tmpSrc, src);
      Path tmpBin = dir.resolve("model-" + tag + ".tmp");
      String message = run(tc.command(src, tmpBin));
      if (message != null) {
        Files.deleteIfExists(tmpBin);
        throw new CompileError(src, message);
      }
      move(tmpBin, bin);
      return bin;
    } catch (IOException e) {
      throw InputError.usage("cannot write the compiled-program cache " + root + ": " + e.getMessage()
          + "; give a writable folder with --cache-dir");
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Runs a compiler; null when it succeeded, else its exit status and output. */
  private static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return "the compiler did not finish within 10 minutes: " + String.join(" ", command);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return "interrupted while compiling";
    }
    if (p.exitValue() == 0) return null;
    return String.join(" ", command) + " exited with status " + p.exitValue() + ":\n" + out.strip();
  }

  static String hash(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }
}
