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
  public static final List<String> NAMES = List.of("jvm", "interp", "nd4j", "auto");

  /**
   * With {@code --backend auto}, a batched solve goes to ND4J from this many row-elements on: rows
   * times the widest value of the right-hand side (a hidden layer's width). Below it the JVM
   * backend, row by row, is faster: ND4J pays a native call of several microseconds per op. See
   * docs/BENCHMARKS.md for the measured crossover.
   */
  public static final long AUTO_ND4J_ELEMENTS = 1 << 16;

  /**
   * The backend that compiles a model's functions one row at a time. For {@code nd4j} that is the
   * JVM backend: what is not solved in batches (initial states, derived quantities) runs there.
   */
  public static Backend byName(String name) {
    return switch (name) {
      case "jvm", "auto", "nd4j" -> new JvmBackend();
      case "interp" -> new Interpreter();
      default -> throw InputError.usage("unknown backend '" + name + "'; choose one of " + String.join(", ", NAMES));
    };
  }

  /**
   * The backend of a batched solve of {@code rows} rows of f: ND4J for {@code nd4j}, and for
   * {@code auto} when rows × the widest value reaches {@link #AUTO_ND4J_ELEMENTS}; else the one-row
   * backend called row by row. ND4J itself loads only when its functions first run.
   */
  public static BatchBackend batch(String name, long rows, IrFunction f) {
    if (name.equals("nd4j") || (name.equals("auto") && rows * widest(f) >= AUTO_ND4J_ELEMENTS)) {
      return new Nd4jBackend();
    }
    return BatchBackend.rowByRow(byName(name));
  }

  /** The largest number of elements of one value of f's schedule. */
  static long widest(IrFunction f) {
    long w = 1;
    for (Node n : f.schedule()) w = Math.max(w, n.size());
    return w;
  }

  /**
   * Refuses, before anything is allocated, a batch whose solve would not fit in the memory the
   * JVM may use: rows × bytesPerRow for the solver plus, on ND4J, rows × the widest value × 8 bytes
   * for each of a few live arrays; the message gives the estimate.
   */
  public static void checkBatchFits(long rows, long bytesPerRow, IrFunction f, String what) {
    long bytes = rows * (bytesPerRow + 8L * 4 * widest(f));
    long max = Runtime.getRuntime().maxMemory();
    if (bytes > 0.8 * max) {
      throw InputError.usage(String.format(java.util.Locale.ROOT, "%s of %d rows would need about %.1f GB, more than "
          + "the %.1f GB this JVM may use; solve fewer at a time (or give Java more memory with -Xmx)", what, rows,
          bytes / 1e9, max / 1e9));
    }
  }
}
