package dev.odec.cli;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Output-time specs and safe output files. */
final class OutputFiles {
  private OutputFiles() {}

  /**
   * Parses {@code START:STEP:STOP} or a comma list into times within [t0, t1], ordered in the
   * direction of integration.
   */
  static double[] parseSaveat(String spec, double t0, double t1) {
    List<Double> times = new ArrayList<>();
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
      long n = (long) Math.floor((b - a) / step * (1 + 1e-12) + 1e-9) + 1;
      if (n > 10_000_000) throw InputError.usage("--saveat " + spec + " asks for " + n + " output points; at most 10000000");
      for (long i = 0; i < n; i++) times.add(a + i * step);
    } else {
      for (String part : s.split(",")) {
        if (part.isBlank()) continue;
        times.add(number(part, spec));
      }
    }
    if (times.isEmpty()) throw InputError.usage("--saveat " + spec + " gives no output times");
    double lo = Math.min(t0, t1);
    double hi = Math.max(t0, t1);
    double slack = 1e-12 * Math.max(1.0, Math.max(Math.abs(lo), Math.abs(hi)));
    for (int i = 0; i < times.size(); i++) {
      double t = times.get(i);
      if (t < lo - slack || t > hi + slack) {
        throw InputError.usage("--saveat time " + Numbers.format(t) + " is outside the time span [" + Numbers.format(lo)
            + ", " + Numbers.format(hi) + "] of --t0/--t1");
      }
      times.set(i, Math.min(hi, Math.max(lo, t)));
    }
    double[] out = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (t1 < t0) {
      for (int i = 0, j = out.length - 1; i < j; i++, j--) {
        double x = out[i];
        out[i] = out[j];
        out[j] = x;
      }
    }
    return out;
  }

  private static double number(String text, String spec) {
    try {
      double v = Double.parseDouble(text.strip());
      if (Double.isFinite(v)) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InputError.usage("--saveat " + spec + ": '" + text.strip() + "' is not a finite number");
  }

  /** Refuses to replace the model or, without --force, any existing file. */
  static void checkWritable(Path target, boolean force, Path model) {
    if (target == null) return;
    try {
      if (Files.exists(target) && model != null && Files.exists(model) && Files.isSameFile(target, model)) {
        throw InputError.usage("refusing to overwrite the model file " + model + " with output");
      }
    } catch (IOException e) {
      throw InputError.usage("cannot check " + target + ": " + e.getMessage());
    }
    if (target.toString().endsWith(".ode")) {
      throw InputError.usage("refusing to write output to " + target + ": .ode files are models");
    }
    if (Files.isDirectory(target)) throw InputError.usage(target + " is a directory");
    if (Files.exists(target) && !force) {
      throw InputError.usage(target + " already exists; pass --force to replace it");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) throw InputError.usage("the folder of " + target + " does not exist");
  }

  /** Writes via a temporary file and a rename, so a failure never leaves a half-written file. */
  static void write(Path target, String text) throws IOException {
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), ".odec-", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes text to target, or prints it to stdout when target is null. */
  static void emit(Path target, String text, PrintWriter stdout) {
    if (target == null) {
      stdout.print(text);
      stdout.flush();
      return;
    }
    try {
      write(target, text);
    } catch (IOException e) {
      throw InputError.usage("cannot write " + target + ": " + e.getMessage());
    }
  }
}
