package dev.odec.runtime;

import dev.odec.codegen.Backend;
import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.codegen.nd4j.Nd4jBackend;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import java.util.List;

/** Backend selection by the names of {@code --backend}. */
public final class Backends {
  private Backends() {}

  /** The names {@code --backend} accepts in this version. */
  public static final List<String> NAMES = List.of("jvm", "interp", "nd4j", "c", "cuda", "auto");

  /**
   * The backend that compiles a model's functions for the JVM, one row at a time. For {@code nd4j},
   * {@code c} and {@code cuda} that is the JVM backend too: they solve in batches (ND4J, see
   * {@link #batch}) or in a generated program (see {@link NativeEnsemble}), and the JVM computes
   * what is around the solves (initial states, derived quantities).
   */
  public static Backend byName(String name) {
    return switch (name) {
      case "jvm", "auto", "nd4j", "c", "cuda" -> new JvmBackend();
      case "interp" -> new Interpreter();
      default -> throw InputError.usage("unknown backend '" + name + "'; choose one of " + String.join(", ", NAMES));
    };
  }

  /**
   * The backend of a batched solve: ND4J for {@code nd4j}; otherwise the one-row backend called
   * row by row. {@code auto} chooses the JVM at every size in this version: on the 2-core machines
   * odec is measured on, the batched ND4J path was slower than the JVM row by row at every batch
   * size of bench/neural.sh (the MLP 2 → 64 → 2 up to 65,536 trajectories; docs/BENCHMARKS.md), so
   * there is no crossover to switch at. ND4J itself loads only when its functions first run.
   */
  public static BatchBackend batch(String name) {
    return name.equals("nd4j") ? new Nd4jBackend() : BatchBackend.rowByRow(byName(name));
  }

  /** The largest number of elements of one value of f's schedule. */
  static long widest(IrFunction f) {
    long w = 1;
    for (Node n : f.schedule()) w = Math.max(w, n.size());
    return w;
  }

  /**
   * Refuses, before anything is allocated, a batch whose solve would not fit in the share of the
   * heap one structure may take ({@link MemoryBudget}): rows × bytesPerRow for the solver plus, on
   * ND4J, rows × the widest value × 8 bytes for each of a few live arrays; the message gives the
   * estimate.
   */
  public static void checkBatchFits(long rows, long bytesPerRow, IrFunction f, String what) {
    long perRow = bytesPerRow + MemoryBudget.product(8, 4, widest(f));
    MemoryBudget.require(MemoryBudget.product(rows, perRow), String.format(java.util.Locale.ROOT, "%s of %,d rows", what,
        rows), "solve fewer at a time (or give Java more memory with -Xmx)");
  }
}
