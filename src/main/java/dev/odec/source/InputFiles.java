package dev.odec.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the files a user gives odec (models, imported modules, data and conditions files) with a
 * size limit, so that {@code /dev/zero}, a named pipe that never ends or a multi-gigabyte file
 * given by mistake is refused with a clear message instead of filling the heap. The limits are
 * listed in docs/LIMITS.md.
 */
public final class InputFiles {
  /** The largest model or imported module (a generated model of 100,000 states is about 4 MB). */
  public static final long MAX_MODEL_BYTES = 16L << 20;
  /** The largest data or conditions file (about 3 million rows of 20 characters). */
  public static final long MAX_DATA_BYTES = 64L << 20;

  private InputFiles() {}

  /** A file over its limit; the message names the file, the limit and what the file is for. */
  public static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * The bytes of {@code path}, read to the end, or {@link TooLarge} as soon as more than
   * {@code limit} bytes have been seen (a regular file's size is checked before reading it).
   * {@code what} ("model", "data file") goes into the message.
   */
  public static byte[] read(Path path, long limit, String what) throws IOException {
    if (Files.isRegularFile(path) && Files.size(path) > limit) throw tooLarge(path, limit, what, Files.size(path));
    try (InputStream in = Files.newInputStream(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > limit) throw tooLarge(path, limit, what, -1);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static TooLarge tooLarge(Path path, long limit, String what, long size) {
    String actual = size >= 0 ? " (" + megabytes(size) + ")" : " (it goes on past that: is it a device or a pipe?)";
    // "an ensemble file", "an SBML file" (a capital spelled out: its name starts with a vowel sound)
    boolean acronym = what.length() > 1 && Character.isUpperCase(what.charAt(1));
    String article = (acronym ? "AEFHILMNORSX" : "aeiou").indexOf(what.charAt(0)) >= 0 ? "an " : "a ";
    return new TooLarge(path + " is larger than the " + megabytes(limit) + " odec reads as " + article + what + actual);
  }

  private static String megabytes(long bytes) {
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / (double) (1L << 20)));
  }
}
