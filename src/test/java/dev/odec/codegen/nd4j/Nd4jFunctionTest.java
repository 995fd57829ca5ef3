package dev.odec.codegen.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.BatchFunction;
import dev.odec.codegen.RandomGraphs;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrPrinter;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ND4J batch evaluation against the reference kernels, on the random graphs of the interpreter
 * oracle's property test (every op, scalars, vectors, matrices), at batch sizes 1, 7 and 1,000,
 * with the parameters shared by all rows and given per row. Every node is checked against
 * {@link Kernels} applied, row by row, to the operand values ND4J computed: the graphs contain
 * deliberately ill-conditioned chains (acos of tanh near ±1, cosh of large values) that magnify
 * a last-bit difference of a GEMM's summation order far beyond 1e-12, so comparing only the
 * outputs would test the graphs' conditioning, not the backend. Whole functions are compared
 * with the JVM backend on models (see Nd4jSolveTest).
 */
class Nd4jFunctionTest {
  static final double TOL = 1e-12;

  static void agree(IrFunction f, int rows, boolean pShared, long seed) {
    Nd4jFunction got = (Nd4jFunction) new Nd4jBackend().compileBatch(f);
    Random rnd = new Random(seed);
    int pRows = pShared ? 1 : rows;
    double[] t = new double[rows];
    for (int r = 0; r < rows; r++) t[r] = 4 * rnd.nextDouble() - 2;
    double[] y = RandomGraphs.vector(rnd, rows * f.ySize());
    double[] p = RandomGraphs.vector(rnd, pRows * f.pSize());
    double[] out = new double[rows * got.outputSize()];
    got.eval(rows, t, y, p, pRows, out);
    List<Node> schedule = got.schedule();
    Map<Node, double[]> vals = new HashMap<>();
    for (int i = 0; i < schedule.size(); i++) vals.put(schedule.get(i), got.lastValue(i, rows));
    for (Node n : schedule) {
      double[] have = vals.get(n);
      int size = n.size();
      double[][] operands = new double[n.arity()][];
      double[] want = new double[size];
      for (int r = 0; r < rows; r++) {
        for (int a = 0; a < n.arity(); a++) {
          Node arg = n.arg(a);
          operands[a] = Arrays.copyOfRange(vals.get(arg), r * arg.size(), (r + 1) * arg.size());
        }
        switch (n.op) {
          case TIME -> want[0] = t[r];
          case INPUT -> System.arraycopy(n.intAt(0) == 0 ? y : p, (n.intAt(0) == 0 || !pShared ? r : 0)
              * (n.intAt(0) == 0 ? f.ySize() : f.pSize()) + n.intAt(1), want, 0, size);
          default -> Kernels.apply(n, operands, want);
        }
        for (int c = 0; c < size; c++) {
          double scale = magnitude(n, operands, c);
          double h = have[r * size + c];
          if (!close(want[c], h, scale)) {
            fail(f.name() + " rows " + rows + (pShared ? " shared p" : " per-row p") + ": node %" + n.id + " " + n.op
                + " row " + r + " element " + c + ": reference " + want[c] + " nd4j " + h);
          }
        }
      }
    }
  }

  /** The size of the terms a MATMUL or SUM element adds up (rounding scales with it), else 1. */
  static double magnitude(Node n, double[][] a, int c) {
    if (n.op == Op.SUM) {
      double s = 0;
      for (double v : a[0]) s += Math.abs(v);
      return s;
    }
    if (n.op == Op.MATMUL) {
      Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
      int i = c / d.n();
      int j = c % d.n();
      double s = 0;
      for (int l = 0; l < d.k(); l++) s += Math.abs(a[0][i * d.k() + l] * a[1][l * d.n() + j]);
      return s;
    }
    return 1.0;
  }

  /** Whole functions, ND4J against the JVM backend row by row, to 1e-12 relative. */
  static void agreeWithJvm(IrFunction f, int rows, boolean pShared, long seed) {
    BatchFunction want = BatchBackend.rowByRow(new JvmBackend()).compileBatch(f);
    BatchFunction got = new Nd4jBackend().compileBatch(f);
    assertEquals(want.outputSize(), got.outputSize());
    Random rnd = new Random(seed);
    int pRows = pShared ? 1 : rows;
    double[] t = new double[rows];
    for (int r = 0; r < rows; r++) t[r] = 4 * rnd.nextDouble() - 2;
    double[] y = RandomGraphs.vector(rnd, rows * f.ySize());
    double[] p = RandomGraphs.vector(rnd, pRows * f.pSize());
    double[] a = new double[rows * want.outputSize()];
    double[] b = new double[rows * got.outputSize()];
    want.eval(rows, t, y, p, pRows, a);
    got.eval(rows, t, y, p, pRows, b);
    for (int i = 0; i < a.length; i++) {
      if (!close(a[i], b[i], 1.0)) {
        String ir = f.schedule().size() < 200 ? IrPrinter.print(f) : "";
        fail(f.name() + " rows " + rows + (pShared ? " shared p" : " per-row p") + ": out[" + i / want.outputSize() + ","
            + i % want.outputSize() + "] jvm " + a[i] + " nd4j " + b[i] + "\n" + ir);
      }
    }
  }

  /** Equal to 1e-12 relative (NaN matches NaN, infinities must be equal). */
  static boolean close(double a, double b, double scale) {
    if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
    if (Double.isInfinite(a) || Double.isInfinite(b)) return a == b || Double.isInfinite(scale);
    return Math.abs(a - b) <= TOL * Math.max(Math.max(1.0, scale), Math.max(Math.abs(a), Math.abs(b)));
  }

  @Test
  void smallRandomGraphsAgreeAtEveryBatchSize() {
    for (long seed = 1; seed <= 20; seed++) {
      IrFunction f = RandomGraphs.function(seed, RandomGraphs.Config.small(25));
      for (int rows : new int[] {1, 7, 1000}) agree(f, rows, seed % 2 == 0, seed * 31 + rows);
    }
  }

  @Test
  void randomGraphsWithLargeTensorsAgree() {
    for (long seed = 100; seed < 108; seed++) {
      IrFunction f = RandomGraphs.function(seed, RandomGraphs.Config.mixed(30));
      for (int rows : new int[] {1, 7, 1000}) agree(f, rows, seed % 2 == 1, seed * 17 + rows);
    }
  }
}
