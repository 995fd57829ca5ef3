package dev.odec.runtime;

import dev.odec.ad.JacobianSize;
import dev.odec.ir.IrFunction;
import java.util.Locale;

/**
 * What odec agrees to build for one model, checked before building it, so that a model too
 * large for a method fails at once with the estimate and an alternative instead of running for
 * minutes into the heap limit (docs/LIMITS.md lists the rules).
 *
 * <ul>
 *   <li>One structure (a symbolic Jacobian, a sensitivity system, a stored solution) may take at
 *       most {@link #HEAP_SHARE} of the Java heap; the rest is for the model itself, the solver's
 *       work arrays and the output.
 *   <li>A symbolic Jacobian costs about {@link #BYTES_PER_JACOBIAN_ENTRY} bytes per structurally
 *       non-zero entry (measured: 670–890 bytes of expression graph per entry for dense and
 *       sparse models, plus its compiled code), and has at most {@link #MAX_JACOBIAN_ENTRIES}
 *       entries whatever the heap: past that, generating and compiling it takes minutes.
 *   <li>A generated expression node costs about {@link #BYTES_PER_NODE} bytes with its code.
 * </ul>
 *
 * Refusals are usage errors (exit code 2): a different method or option is the way out.
 */
public final class MemoryBudget {
  /** The share of the maximum heap one structure may take. */
  public static final double HEAP_SHARE = 0.5;
  /** Bytes per symbolic Jacobian entry: its expression nodes, interning and compiled code. */
  public static final long BYTES_PER_JACOBIAN_ENTRY = 1000;
  /** The most entries a symbolic Jacobian may have, whatever the heap. */
  public static final long MAX_JACOBIAN_ENTRIES = 5_000_000;
  /** Bytes per generated expression node with its share of the compiled code. */
  public static final long BYTES_PER_NODE = 300;

  private MemoryBudget() {}

  /** The bytes one structure may take in this JVM. */
  public static long bytes() {
    return (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
  }

  /** The most Jacobian entries this JVM builds. */
  public static long jacobianEntries() {
    return Math.min(MAX_JACOBIAN_ENTRIES, bytes() / BYTES_PER_JACOBIAN_ENTRY);
  }

  /**
   * Refuses a symbolic Jacobian of f (with respect to its state input) larger than
   * {@link #jacobianEntries()}; {@code instead} says what to do.
   */
  public static void checkJacobian(IrFunction f, String what, String instead) {
    checkJacobian(f, what, instead, jacobianEntries());
  }

  /** As {@link #checkJacobian(IrFunction, String, String)} with an explicit limit (tests). */
  public static void checkJacobian(IrFunction f, String what, String instead, long limit) {
    long entries = JacobianSize.entries(f, 0, limit);
    if (entries <= limit) return;
    throw InputError.usage(String.format(Locale.ROOT,
        "%s would have %s %,d structurally non-zero entries (%s of %,d x %,d; about %s to generate), more "
            + "than the %,d odec builds here; %s",
        what, entries > 4 * limit ? "more than" : "about", entries, density(entries, f), f.outputSize(), f.ySize(),
        size(product(entries, BYTES_PER_JACOBIAN_ENTRY)), limit, instead));
  }

  private static String density(long entries, IrFunction f) {
    double share = entries / ((double) f.outputSize() * Math.max(1, f.ySize()));
    return share >= 0.5 ? "dense" : String.format(Locale.ROOT, "%.2g%%", 100 * share);
  }

  /** Refuses to build something of about {@code bytes} bytes when it exceeds {@link #bytes()}. */
  public static void require(long bytes, String what, String instead) {
    require(bytes, what, instead, bytes());
  }

  /** As {@link #require(long, String, String)} with an explicit budget (tests). */
  public static void require(long bytes, String what, String instead, long budget) {
    if (bytes <= budget) return;
    throw InputError.usage(what + " would need about " + size(bytes) + ", more than the " + size(budget)
        + " odec may use for it (half of this Java heap); " + instead);
  }

  /**
   * Refuses a stored solution ({@code members} × {@code times} output times × {@code states}
   * doubles) that would not fit in {@link #bytes()}.
   */
  public static void checkSolution(long members, long times, long states) {
    require(product(members, times, states, Double.BYTES),
        String.format(Locale.ROOT, "the solution at %,d output times of %,d states%s", times, states,
            members > 1 ? String.format(Locale.ROOT, " for %,d members", members) : ""),
        "ask for fewer output times with --saveat" + (members > 1 ? " or fewer members" : ""));
  }

  /** A byte count for people: 512 KB, 3.4 MB, 12 GB. */
  public static String size(long bytes) {
    if (bytes < 1L << 20) return String.format(Locale.ROOT, "%d KB", Math.max(1, bytes >> 10));
    if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
  }

  /**
   * {@code a * b * ...} of non-negative sizes, saturating at Long.MAX_VALUE (estimates of absurd
   * sizes must not wrap around).
   */
  public static long product(long... factors) {
    long p = 1;
    for (long f : factors) {
      if (f != 0 && p > Long.MAX_VALUE / Math.abs(f)) return Long.MAX_VALUE;
      p *= f;
    }
    return p;
  }
}
