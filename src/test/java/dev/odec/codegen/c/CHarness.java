package dev.odec.codegen.c;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.odec.ir.IrFunction;
import dev.odec.runtime.NativeCache;
import dev.odec.runtime.NativeToolchain;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Compiles IR functions with {@link CFunction} and the system's C compiler into one evaluator
 * program, and evaluates them at given points: the C side of the differential tests. Tests that
 * use it are skipped (with the reason) where no C compiler is installed.
 */
public final class CHarness {
  /** The cache of compiled test programs (under target/, so a rerun of unchanged tests compiles nothing). */
  public static final Path CACHE = Path.of("target", "native-test-cache");

  /** One evaluation point. */
  record Point(double t, double[] y, double[] p) {}

  private CHarness() {}

  /** The C toolchain, or the test is skipped with the reason. */
  public static NativeToolchain cc() {
    NativeToolchain tc = null;
    String why = null;
    try {
      tc = NativeToolchain.find(CProgram.Target.C, null, null);
    } catch (RuntimeException e) {
      why = e.getMessage();
    }
    assumeTrue(tc != null, "no C compiler: " + why);
    return tc;
  }

  /**
   * Evaluates {@code fns.get(k)} at {@code points.get(k)} in one compiled program; returns, per
   * function, the outputs of each point.
   */
  static List<double[][]> evaluate(List<IrFunction> fns, List<List<Point>> points) throws IOException, InterruptedException {
    return evaluate(fns, points, cc());
  }

  /**
   * The production flags' toolchain with -O0: for the large property tests, whose results cannot
   * depend on the optimisation level (IEEE arithmetic, no contraction) but whose compile time does.
   */
  static NativeToolchain unoptimised() {
    NativeToolchain tc = cc();
    List<String> flags = new ArrayList<>(tc.flags());
    flags.replaceAll(f -> f.equals("-O2") ? "-O0" : f);
    return new NativeToolchain(tc.target(), tc.compiler(), flags);
  }

  /** As {@link #evaluate(List, List)} with the given toolchain. */
  static List<double[][]> evaluate(List<IrFunction> fns, List<List<Point>> points, NativeToolchain tc)
      throws IOException, InterruptedException {
    StringBuilder src = new StringBuilder("#define _POSIX_C_SOURCE 200809L\n");
    src.append(CProgram.resource("od_runtime.h"));
    for (int k = 0; k < fns.size(); k++) src.append(CFunction.emit(fns.get(k), "f" + k).text());
    src.append("""
        static void read_doubles(double *v, long n) {
          if (n > 0 && fread(v, sizeof(double), (size_t) n, stdin) != (size_t) n) exit(3);
        }
        int main(void) {
          long long count;
          double t;
        """);
    for (int k = 0; k < fns.size(); k++) {
      IrFunction f = fns.get(k);
      src.append("  {\n    static double y[").append(f.ySize()).append("], p[").append(Math.max(1, f.pSize()))
          .append("], out[").append(Math.max(1, f.outputSize())).append("];\n");
      src.append("    if (fread(&count, sizeof count, 1, stdin) != 1) return 3;\n");
      src.append("    for (long long i = 0; i < count; i++) {\n");
      src.append("      read_doubles(&t, 1);\n      read_doubles(y, ").append(f.ySize()).append(");\n      read_doubles(p, ")
          .append(f.pSize()).append(");\n");
      src.append("      f").append(k).append("(t, y, p, out);\n");
      src.append("      fwrite(out, sizeof(double), ").append(f.outputSize()).append(", stdout);\n    }\n  }\n");
    }
    src.append("  return fflush(stdout) == 0 ? 0 : 3;\n}\n");

    Path bin = NativeCache.at(CACHE).binary(src.toString(), tc);
    Process proc = new ProcessBuilder(bin.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (OutputStream o = new BufferedOutputStream(proc.getOutputStream(), 1 << 16)) {
        for (int k = 0; k < fns.size(); k++) {
          List<Point> pts = points.get(k);
          o.write(le(8).putLong(pts.size()).array());
          for (Point pt : pts) {
            ByteBuffer b = le(8 * (1 + pt.y().length + pt.p().length));
            b.putDouble(pt.t());
            for (double v : pt.y()) b.putDouble(v);
            for (double v : pt.p()) b.putDouble(v);
            o.write(b.array());
          }
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    List<double[][]> results = new ArrayList<>();
    try (InputStream in = proc.getInputStream()) {
      for (int k = 0; k < fns.size(); k++) {
        int size = fns.get(k).outputSize();
        double[][] r = new double[points.get(k).size()][size];
        for (double[] row : r) {
          ByteBuffer b = ByteBuffer.wrap(in.readNBytes(8 * size)).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < size; i++) row[i] = b.getDouble();
        }
        results.add(r);
      }
    }
    writer.join();
    if (proc.waitFor() != 0) throw new IllegalStateException("the evaluator failed with status " + proc.exitValue());
    return results;
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
