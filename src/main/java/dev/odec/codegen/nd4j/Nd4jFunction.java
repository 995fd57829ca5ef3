package dev.odec.codegen.nd4j;

import dev.odec.codegen.BatchFunction;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Scalar;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link IrFunction} evaluated over a batch: every node of the schedule is a row-major block
 * [R, size] — R = rows for values that differ between rows (anything reading t, y, or a per-row
 * p), R = 1 for values shared by all rows (constants, functions of a shared p), broadcast where
 * they meet row-dependent ones. The blocks are allocated once per batch size and reused.
 *
 * <p>How the ops run, chosen by measurement on the machines odec is developed on:
 * <ul>
 *   <li><b>MATMUL</b> of a shared matrix and row-dependent vectors is one GEMM over the batch on
 *       ND4J (OpenBLAS): {@code W @ x} for every row is X [R,k] · Wᵀ [k,m], {@code x @ W} is X · W,
 *       into arrays allocated once per batch size (an ND4J op that allocates its result costs
 *       milliseconds for a 1,024 × 64 block — 60× the op itself — so nothing is allocated per
 *       call). Small products (under {@link #GEMM_MIN} multiply-adds) and products whose matrix
 *       differs per row run as loops on the JVM.
 *   <li><b>Element-wise</b> ops, SUM, GATHER, PACK and SELECT run as loops on the JVM over the
 *       blocks, in parallel chunks of rows for large blocks, with {@link Scalar}'s kernels, so they
 *       agree with the JVM backend to the bit. (ND4J's own tanh and expm1 are fast approximations,
 *       off by up to 4.4e-12 and 6.3e-11 relative on [−4, 4] — measured over 10⁶ points — which a
 *       solve would carry into its result; and a round trip to ND4J costs more than the loop.)
 * </ul>
 * So the GEMMs' summation order is the only difference from the JVM backend: results agree to
 * rounding.
 */
final class Nd4jFunction implements BatchFunction {
  /** Below this many multiply-adds a product runs on the JVM: a native GEMM call costs more. */
  static final long GEMM_MIN = 1 << 14;
  /** Blocks of at least this many elements are computed in parallel chunks of rows. */
  static final int PARALLEL_MIN = 1 << 15;

  private final IrFunction f;
  private final List<Node> schedule;
  private final int[] slot;
  private final int[][] argSlot;
  private final int outSize;
  // per batch size and parameter sharing
  private int rows = -1;
  private boolean pShared;
  private boolean[] perRow;
  private double[][] vals;
  private Gemm[] gemms;

  /** Preallocated ND4J arrays of one GEMM: X [R,k] · B [k,n] = Z [R,n]. */
  private record Gemm(INDArray x, INDArray b, INDArray z, boolean transpose) {}

  Nd4jFunction(IrFunction f) {
    this.f = f;
    this.schedule = f.schedule();
    int maxId = 0;
    for (Node n : schedule) maxId = Math.max(maxId, n.id);
    this.slot = new int[maxId + 1];
    for (int i = 0; i < schedule.size(); i++) slot[schedule.get(i).id] = i;
    this.argSlot = new int[schedule.size()][];
    for (int i = 0; i < schedule.size(); i++) {
      Node n = schedule.get(i);
      argSlot[i] = new int[n.arity()];
      for (int a = 0; a < n.arity(); a++) argSlot[i][a] = slot[n.arg(a).id];
    }
    this.outSize = f.outputSize();
  }

  @Override
  public int outputSize() {
    return outSize;
  }

  /** Sizes the blocks for this batch (kept while the batch size and the sharing of p stay). */
  private void prepare(int rows, boolean pShared) {
    if (rows == this.rows && pShared == this.pShared) return;
    this.rows = rows;
    this.pShared = pShared;
    perRow = new boolean[schedule.size()];
    vals = new double[schedule.size()][];
    gemms = new Gemm[schedule.size()];
    for (int i = 0; i < schedule.size(); i++) {
      Node n = schedule.get(i);
      boolean r = switch (n.op) {
        case TIME -> true;
        case INPUT -> n.intAt(0) == 0 || !pShared;
        default -> false;
      };
      for (int a : argSlot[i]) r |= perRow[a];
      perRow[i] = r;
      vals[i] = new double[(r ? rows : 1) * n.size()];
      if (n.op == Op.CONST) for (int c = 0; c < n.size(); c++) vals[i][c] = n.valueAt(c);
      if (n.op == Op.MATMUL) gemms[i] = planGemm(i, n);
    }
  }

  @Override
  public void eval(int rows, double[] t, double[] y, double[] p, int pRows, double[] out) {
    prepare(rows, pRows == 1);
    for (int i = 0; i < schedule.size(); i++) {
      Node n = schedule.get(i);
      switch (n.op) {
        case CONST -> { }
        case TIME -> System.arraycopy(t, 0, vals[i], 0, rows);
        case INPUT -> input(n, n.intAt(0) == 0 ? y : p, n.intAt(0) == 0 ? f.ySize() : f.pSize(), vals[i],
            perRow[i] ? rows : 1);
        case MATMUL -> matmul(i, n);
        default -> elementwise(i, n);
      }
    }
    int k = 0;
    for (Node o : f.outputs()) {
      int s = slot[o.id];
      int size = o.size();
      double[] v = vals[s];
      for (int r = 0; r < rows; r++) System.arraycopy(v, perRow[s] ? r * size : 0, out, r * outSize + k, size);
      k += size;
    }
  }

  /** The schedule, in evaluation order (for tests). */
  List<Node> schedule() {
    return schedule;
  }

  /** Node i's value from the last {@link #eval}, as [rows, size] row-major (for tests). */
  double[] lastValue(int i, int rows) {
    int size = schedule.get(i).size();
    double[] v = new double[rows * size];
    for (int r = 0; r < rows; r++) System.arraycopy(vals[i], perRow[i] ? r * size : 0, v, r * size, size);
    return v;
  }

  private static void input(Node n, double[] src, int width, double[] dst, int count) {
    int off = n.intAt(1);
    int size = n.size();
    for (int r = 0; r < count; r++) System.arraycopy(src, r * width + off, dst, r * size, size);
  }

  /** Runs body over rows 0..count-1, in parallel chunks when the block is large. */
  private static void forRows(int count, long work, RowRange body) {
    if (work < PARALLEL_MIN || count < 2) {
      body.run(0, count);
      return;
    }
    int chunks = Math.min(count, 4 * Runtime.getRuntime().availableProcessors());
    IntStream.range(0, chunks).parallel().forEach(c -> body.run(
        (int) ((long) count * c / chunks), (int) ((long) count * (c + 1) / chunks)));
  }

  private interface RowRange {
    void run(int from, int to);
  }

  /** Any non-MATMUL op, row by row with the reference kernels (fast paths for the common ones). */
  private void elementwise(int i, Node n) {
    int count = perRow[i] ? rows : 1;
    int size = n.size();
    int[] as = argSlot[i];
    double[] out = vals[i];
    if (n.op.kind == Op.Kind.UNARY) {
      double[] x = vals[as[0]];
      int xs = schedule.get(as[0]).size();
      boolean xr = perRow[as[0]];
      forRows(count, (long) count * size, (from, to) -> {
        for (int r = from; r < to; r++) {
          int xb = xr ? r * xs : 0;
          for (int c = 0; c < size; c++) out[r * size + c] = Scalar.apply1(n.op, x[xb + (xs == 1 ? 0 : c)]);
        }
      });
      return;
    }
    if (n.op.kind == Op.Kind.BINARY) {
      double[] a = vals[as[0]];
      double[] b = vals[as[1]];
      int sa = schedule.get(as[0]).size();
      int sb = schedule.get(as[1]).size();
      boolean ar = perRow[as[0]];
      boolean br = perRow[as[1]];
      Op op = n.op;
      forRows(count, (long) count * size, (from, to) -> {
        for (int r = from; r < to; r++) {
          int ab = ar ? r * sa : 0;
          int bb = br ? r * sb : 0;
          int ob = r * size;
          switch (op) {
            case ADD -> { for (int c = 0; c < size; c++) out[ob + c] = a[ab + (sa == 1 ? 0 : c)] + b[bb + (sb == 1 ? 0 : c)]; }
            case SUB -> { for (int c = 0; c < size; c++) out[ob + c] = a[ab + (sa == 1 ? 0 : c)] - b[bb + (sb == 1 ? 0 : c)]; }
            case MUL -> { for (int c = 0; c < size; c++) out[ob + c] = a[ab + (sa == 1 ? 0 : c)] * b[bb + (sb == 1 ? 0 : c)]; }
            default -> {
              for (int c = 0; c < size; c++) {
                out[ob + c] = Scalar.apply2(op, a[ab + (sa == 1 ? 0 : c)], b[bb + (sb == 1 ? 0 : c)]);
              }
            }
          }
        }
      });
      return;
    }
    // SELECT, SUM, GATHER, PACK: the reference kernel on each row's operands
    forRows(count, (long) count * size, (from, to) -> {
      double[][] ops = new double[as.length][];
      for (int a = 0; a < as.length; a++) ops[a] = new double[schedule.get(as[a]).size()];
      double[] row = new double[size];
      for (int r = from; r < to; r++) {
        for (int a = 0; a < as.length; a++) {
          int w = ops[a].length;
          System.arraycopy(vals[as[a]], perRow[as[a]] ? r * w : 0, ops[a], 0, w);
        }
        Kernels.apply(n, ops, row);
        System.arraycopy(row, 0, out, r * size, size);
      }
    });
  }

  /**
   * The GEMM plan of a MATMUL node whose matrix is shared and whose other side varies by row, when
   * the batch is large enough; else null (loops on the JVM).
   */
  private Gemm planGemm(int i, Node n) {
    Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
    boolean ar = perRow[argSlot[i][0]];
    boolean br = perRow[argSlot[i][1]];
    if ((long) rows * d.m() * d.k() * d.n() < GEMM_MIN) return null;
    if (!ar && br && n.arg(1).shape.rank() == 1) {
      // A [m,k] shared, x_r [k]: Z [R,m] = X [R,k] · Aᵀ
      return new Gemm(Nd4j.create(DataType.DOUBLE, rows, d.k()), Nd4j.create(DataType.DOUBLE, d.m(), d.k()),
          Nd4j.create(DataType.DOUBLE, rows, d.m()), true);
    }
    if (ar && !br && n.arg(0).shape.rank() == 1) {
      // x_r [k] @ B [k,n] shared: Z [R,n] = X [R,k] · B
      return new Gemm(Nd4j.create(DataType.DOUBLE, rows, d.k()), Nd4j.create(DataType.DOUBLE, d.k(), d.n()),
          Nd4j.create(DataType.DOUBLE, rows, d.n()), false);
    }
    if (ar && !br) {
      // A_r [m,k] @ B [k,n] shared: the rows' A stacked, [R·m, k] · B
      return new Gemm(Nd4j.create(DataType.DOUBLE, (long) rows * d.m(), d.k()), Nd4j.create(DataType.DOUBLE, d.k(), d.n()),
          Nd4j.create(DataType.DOUBLE, (long) rows * d.m(), d.n()), false);
    }
    return null;
  }

  private void matmul(int i, Node n) {
    int[] as = argSlot[i];
    Gemm g = gemms[i];
    if (g != null) {
      boolean vectorOnRight = g.transpose;
      double[] xs = vals[vectorOnRight ? as[1] : as[0]];
      double[] bs = vals[vectorOnRight ? as[0] : as[1]];
      put(g.x, xs);
      put(g.b, bs);
      // Nd4j.gemm writes into z; INDArray.mmul(other, result) allocates a temporary result (1,024 x 64:
      // 8 ms against 0.2 ms)
      Nd4j.gemm(g.x, g.b, g.z, false, vectorOnRight, 1.0, 0.0);
      DoubleBuffer z = g.z.data().asNioDouble();
      z.position(0);
      z.get(vals[i], 0, vals[i].length);
      return;
    }
    Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
    double[] a = vals[as[0]];
    double[] b = vals[as[1]];
    int sa = n.arg(0).size();
    int sb = n.arg(1).size();
    boolean ar = perRow[as[0]];
    boolean br = perRow[as[1]];
    double[] out = vals[i];
    int size = n.size();
    int count = perRow[i] ? rows : 1;
    forRows(count, (long) count * d.m() * d.k() * d.n(), (from, to) -> {
      for (int r = from; r < to; r++) {
        int ab = ar ? r * sa : 0;
        int bb = br ? r * sb : 0;
        for (int p = 0; p < d.m(); p++) {
          for (int q = 0; q < d.n(); q++) {
            double acc = 0.0;
            for (int l = 0; l < d.k(); l++) acc += a[ab + p * d.k() + l] * b[bb + l * d.n() + q];
            out[r * size + p * d.n() + q] = acc;
          }
        }
      }
    });
  }

  private static void put(INDArray dst, double[] src) {
    DoubleBuffer b = dst.data().asNioDouble();
    b.position(0);
    b.put(src, 0, (int) dst.length());
  }
}
