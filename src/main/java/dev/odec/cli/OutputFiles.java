package dev.odec.cli;

import dev.odec.runtime.InputError;
import dev.odec.syntax.NumberSyntax;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Output-time specs and safe output files. */
final class OutputFiles {
  private OutputFiles() {}

  /** The most output times --saveat may ask for (docs/LIMITS.md). */
  static final int MAX_OUTPUT_TIMES = 10_000_000;

  /**
   * Parses {@code START:STEP:STOP} or a comma list into times within [t0, t1], ordered in the
   * direction of integration.
   */
  static double[] parseSaveat(String spec, double t0, double t1) {
    double[] times;
    String s = spec.strip();
    if (s.contains(":")) {
      String[] parts = s.split(":", -1);
      if (parts.length != 3) throw InputError.usage("--saveat expects START:STEP:STOP or a comma list, got '" + spec + "'");
      double a = number(parts[0], spec);
      double step = number(parts[1], spec);
      double b = number(parts[2], spec);
      if (step == 0 || Math.signum(step) != Math.signum(b - a) && a != b) {
        throw InputError.usage("--saveat " + spec + ": the step must be non-zero and go from START towards STOP");
      }
      // counted in double: a tiny step gives a count beyond any long
      double count = Math.floor((b - a) / step * (1 + 1e-12) + 1e-9) + 1;
      if (!(count <= MAX_OUTPUT_TIMES)) {
        throw InputError.usage("--saveat " + spec + " asks for too many output times (" + String.format(java.util.Locale.ROOT,
            "%.3g", count) + "); at most " + MAX_OUTPUT_TIMES);
      }
      times = new double[(int) count];
      for (int i = 0; i < times.length; i++) times[i] = a + i * step;
    } else {
      List<Double> list = new ArrayList<>();
      for (String part : s.split(",")) {
        if (part.isBlank()) continue;
        list.add(number(part, spec));
      }
      if (list.size() > MAX_OUTPUT_TIMES) {
        throw InputError.usage("--saveat lists " + list.size() + " output times; at most " + MAX_OUTPUT_TIMES);
      }
      times = list.stream().mapToDouble(Double::doubleValue).toArray();
    }
    if (times.length == 0) throw InputError.usage("--saveat " + spec + " gives no output times");
    double lo = Math.min(t0, t1);
    double hi = Math.max(t0, t1);
    double slack = 1e-12 * Math.max(1.0, Math.max(Math.abs(lo), Math.abs(hi)));
    for (int i = 0; i < times.length; i++) {
      double t = times[i];
      if (t < lo - slack || t > hi + slack) {
        throw InputError.usage("--saveat time " + Numbers.format(t) + " is outside the time span [" + Numbers.format(lo)
            + ", " + Numbers.format(hi) + "] of --t0/--t1");
      }
      times[i] = Math.min(hi, Math.max(lo, t));
    }
    java.util.Arrays.sort(times);
    if (t1 < t0) {
      for (int i = 0, j = times.length - 1; i < j; i++, j--) {
        double x = times[i];
        times[i] = times[j];
        times[j] = x;
      }
    }
    return times;
  }

  private static double number(String text, String spec) {
    double v = NumberSyntax.parse(text);
    if (Double.isFinite(v)) return v;
    throw InputError.usage("--saveat " + spec + ": '" + text.strip() + "' is not a finite number");
  }

  /**
   * Checks an output path before any work is done, and again when it is opened. Refused: a
   * {@code .ode} name; a folder; a block device, socket or link to nothing; a file that is one of
   * the run's {@code inputs} (the model, its imports, data files — by identity, so a hard link
   * or a path through a symlinked folder is caught); an existing file without {@code --force}.
   * Pipes and character devices ({@code /dev/null}, a terminal) are written in place and replace
   * nothing, so they need no {@code --force}.
   */
  static void check(Path target, boolean force, Collection<Path> inputs) {
    check(target, force, inputs, false);
  }

  /** As {@link #check(Path, boolean, Collection)}; {@code model}: the output is a model, so a .ode name is right. */
  static void check(Path target, boolean force, Collection<Path> inputs, boolean model) {
    if (target == null) return;
    if (!model && target.toString().endsWith(".ode")) {
      throw InputError.usage("refusing to write output to " + target + ": .ode files are models");
    }
    if (Files.isSymbolicLink(target) && !Files.exists(target)) {
      throw InputError.usage("cannot write " + target + ": it is a symbolic link to a file that does not exist");
    }
    if (Files.isDirectory(target)) throw InputError.usage(target + " is a directory");
    if (!Files.exists(target)) {
      Path parent = target.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) throw InputError.usage("the folder of " + target + " does not exist");
      return;
    }
    Kind kind = kind(target);
    if (kind == Kind.OTHER) {
      throw InputError.usage("cannot write " + target + ": it is a device or socket, not a file (odec writes files, "
          + "pipes and terminals)");
    }
    for (Path in : inputs) {
      if (in != null && sameFile(target, in)) {
        throw InputError.usage("refusing to overwrite " + in + " with output: it is an input of this run");
      }
    }
    if (kind == Kind.REGULAR && !force) throw InputError.usage(target + " already exists; pass --force to replace it");
  }

  /** Refuses two outputs that are one file, however they are spelled. */
  static void checkDistinct(Path a, Path b, String aOption, String bOption) {
    if (a != null && b != null && canonical(a).equals(canonical(b))) {
      throw InputError.usage(aOption + " and " + bOption + " name the same file " + a);
    }
  }

  /** {@link #checkDistinct(Path, Path, String, String)} for every pair of outputs, by option (null: not asked for). */
  static void checkDistinct(Map<String, Path> outputs) {
    List<Map.Entry<String, Path>> all = new ArrayList<>(outputs.entrySet());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        checkDistinct(all.get(i).getValue(), all.get(j).getValue(), all.get(i).getKey(), all.get(j).getKey());
      }
    }
  }

  /** What an existing output path is: a regular file, a stream written in place, or something refused. */
  private enum Kind { REGULAR, STREAM, OTHER }

  private static Kind kind(Path p) {
    if (Files.isRegularFile(p)) return Kind.REGULAR;
    try {
      int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
      return type == 0010000 || type == 0020000 ? Kind.STREAM : Kind.OTHER; // S_IFIFO, S_IFCHR
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Kind.OTHER;
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The real path of p, or of its folder joined with its name when p does not exist yet. */
  private static Path canonical(Path p) {
    try {
      if (Files.exists(p)) return p.toRealPath();
      Path abs = p.toAbsolutePath().normalize();
      Path parent = abs.getParent();
      return parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /** Opens an output (after {@link #check}): the caller writes, then commits or closes to abandon. */
  static Output open(Path target, boolean force, Collection<Path> inputs) {
    return open(target, force, inputs, false);
  }

  private static Output open(Path target, boolean force, Collection<Path> inputs, boolean model) {
    check(target, force, inputs, model);
    try {
      return new Output(target, force);
    } catch (IOException e) {
      throw cannotWrite(target, e);
    }
  }

  /** What goes into an output. */
  interface Content {
    void writeTo(Output o) throws IOException;
  }

  /**
   * Writes an output in one go: opened (and checked again), filled, committed; nothing is left
   * behind when writing fails, and the error names the file and the reason.
   */
  static void write(Path target, boolean force, Collection<Path> inputs, Content content) {
    write(target, force, inputs, false, content);
  }

  /** As {@link #write(Path, boolean, Collection, Content)}; {@code model}: a .ode file is meant (odec import). */
  static void write(Path target, boolean force, Collection<Path> inputs, boolean model, Content content) {
    try (Output o = open(target, force, inputs, model)) {
      try {
        content.writeTo(o);
      } catch (IOException e) {
        throw cannotWrite(target, e);
      }
      o.commit();
    }
  }

  /** Writes text to {@code target} (as {@link #write(Path, boolean, Collection, Content)}), or prints it to stdout when target is null. */
  static void emit(Path target, boolean force, Collection<Path> inputs, String text, java.io.PrintWriter stdout) {
    if (target == null) {
      stdout.print(text);
      stdout.flush();
      return;
    }
    write(target, force, inputs, o -> o.writer().write(text));
  }

  /** The one-line error for a failed write: the file and the system's reason (disk full, read-only, ...). */
  static InputError cannotWrite(Path target, IOException e) {
    String why = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e instanceof java.nio.file.NoSuchFileException ? "its folder does not exist"
        : String.valueOf(e.getMessage());
    return InputError.usage("cannot write " + target + ": " + why);
  }

  /**
   * An output being written. A regular file is written to a hidden temporary file in the same
   * folder (created with the permissions the umask gives a new file) and committed in one step:
   * without {@code --force} by a hard link that fails if the name was taken meanwhile (so of two
   * runs writing one file exactly one wins, and the other says so), with {@code --force} by a
   * rename over the old file that keeps its permissions — or, when the old file has other hard
   * links, by copying into it so that the links keep seeing it. Pipes and character devices are
   * written in place. A temporary file is removed when the output is abandoned, and when the JVM
   * is stopped by Ctrl-C or SIGTERM while writing.
   */
  static final class Output implements Closeable {
    private final Path target;
    private final Path real;
    private final boolean force;
    private final Path tmp;
    private final OutputStream stream;
    private Writer writer;
    private boolean committed;

    private Output(Path target, boolean force) throws IOException {
      this.target = target;
      this.force = force;
      if (Files.exists(target) && kind(target) == Kind.STREAM) {
        this.real = target;
        this.tmp = null;
        this.stream = Files.newOutputStream(target, StandardOpenOption.WRITE);
        return;
      }
      this.real = canonical(target);
      this.tmp = TempFiles.create(real.getParent());
      this.stream = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 16);
    }

    /** A UTF-8 text writer on the output (buffered; flushed by {@link #commit}). */
    Writer writer() {
      if (writer == null) writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
      return writer;
    }

    OutputStream stream() {
      return stream;
    }

    /** Makes the written bytes the output file; errors name the file and the reason. */
    void commit() {
      try {
        if (writer != null) writer.flush();
        stream.close();
        if (tmp != null) place();
        committed = true;
      } catch (IOException e) {
        throw cannotWrite(target, e);
      } finally {
        close();
      }
    }

    private void place() throws IOException {
      if (!force) {
        try {
          Files.createLink(real, tmp);
        } catch (FileAlreadyExistsException e) {
          throw InputError.usage(target + " appeared while odec was writing it and was not replaced; pass --force to "
              + "replace it");
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
          if (e instanceof java.nio.file.FileSystemException && Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            throw InputError.usage(target + " appeared while odec was writing it and was not replaced; pass --force "
                + "to replace it");
          }
          // a file system without hard links: create the name exclusively and copy
          Files.copy(tmp, real);
        }
        return;
      }
      if (Files.isRegularFile(real)) {
        Object links = linkCount(real);
        if (links instanceof Integer n && n > 1) {
          try (OutputStream o = Files.newOutputStream(real, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.copy(tmp, o);
          }
          return;
        }
        keepPermissions(real, tmp);
      }
      Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Object linkCount(Path p) {
      try {
        return Files.getAttribute(p, "unix:nlink");
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return null;
      }
    }

    private static void keepPermissions(Path from, Path to) {
      try {
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
      } catch (IOException | UnsupportedOperationException e) {
        // not a POSIX file system: the new file keeps the default permissions
      }
    }

    /** Abandons the output unless committed: the temporary file is removed. */
    @Override
    public void close() {
      try {
        stream.close();
      } catch (IOException e) {
        // abandoning: the error that made us abandon is the one to report
      }
      if (tmp != null) TempFiles.delete(tmp);
    }
  }

  /**
   * The temporary files being written, removed by a shutdown hook when the JVM is stopped (Ctrl-C,
   * SIGTERM) before they were committed or abandoned.
   */
  static final class TempFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;
    private static volatile boolean stopping;

    private TempFiles() {}

    /** A new hidden file in {@code dir}, created with the permissions a new file gets (the umask). */
    static synchronized Path create(Path dir) throws IOException {
      if (stopping) throw new IOException("odec is stopping");
      if (!hooked) {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::removeAll, "odec-temp-cleanup"));
        hooked = true;
      }
      for (int tries = 0; ; tries++) {
        Path p = dir.resolve(".odec-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
          Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
          LIVE.add(p);
          return p;
        } catch (FileAlreadyExistsException e) {
          if (tries > 100) throw e;
        }
      }
    }

    static void delete(Path p) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // nothing more to do: it is hidden and named .odec-*.tmp
      }
      LIVE.remove(p);
    }

    private static void removeAll() {
      stopping = true;
      for (Path p : LIVE) delete(p);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  }
}
