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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An {@link IrFunction} evaluated over a batch with ND4J: every node of the schedule becomes one
 * array of shape [R, size] — R = rows for values that differ between rows (anything reading t, y,
 * or a per-row p), R = 1 for values shared by all rows (constants, and functions of a shared p),
 * broadcast where they meet row-dependent ones.
 *
 * <p>How the ops map:
 * <ul>
 *   <li><b>MATMUL</b> of a shared matrix and row-dependent vectors is one GEMM over the batch:
 *       {@code W @ x} for every row is X [R,k] · Wᵀ [k,m]; {@code x @ W} is X · W; a row-dependent
 *       matrix times a shared one is one GEMM of the rows stacked, [R·m,k] · [k,n]. Products whose
 *       two sides both depend on the row are computed row by row on the JVM.
 *   <li><b>Element-wise</b> ops use ND4J's own kernels where they are IEEE operations or calls of
 *       the C library's functions, accurate to an ulp (add, sub, mul, div, neg, abs, exp, log,
 *       sqrt, sin, cos, min, max, x² and x³ as products); the others run {@link Scalar}'s kernels
 *       over the array on the JVM (in parallel chunks for large arrays), so that they agree with
 *       the JVM backend to the last bit. That includes tanh: ND4J's tanh (and its expm1) is a fast
 *       approximation, off by up to 4.4e-12 relative on [−4, 4] (measured over 10⁶ points), which
 *       a neural ODE's solve carries into its result.
 *   <li><b>SUM</b> is a row sum; <b>GATHER</b> a column gather; <b>PACK</b> a horizontal stack.
 * </ul>
 * Inputs are copied into ND4J's native memory once per call and the outputs copied back.
 */
final class Nd4jFunction implements BatchFunction {
  private final IrFunction f;
  private final List<Node> schedule;
  private final int[] slot;
  private final INDArray[] values;
  private final int outSize;

  Nd4jFunction(IrFunction f) {
    this.f = f;
    this.schedule = f.schedule();
    int maxId = 0;
    for (Node n : schedule) maxId = Math.max(maxId, n.id);
    this.slot = new int[maxId + 1];
    for (int i = 0; i < schedule.size(); i++) slot[schedule.get(i).id] = i;
    this.values = new INDArray[schedule.size()];
    this.outSize = f.outputSize();
  }

  @Override
  public int outputSize() {
    return outSize;
  }

  @Override
  public void eval(int rows, double[] t, double[] y, double[] p, int pRows, double[] out) {
    INDArray tArr = null;
    INDArray yArr = null;
    INDArray pArr = null;
    for (int i = 0; i < schedule.size(); i++) {
      Node n = schedule.get(i);
      INDArray v;
      switch (n.op) {
        case CONST -> v = Nd4j.create(n.values(), new long[] {1, n.size()}, DataType.DOUBLE);
        case TIME -> {
          if (tArr == null) tArr = load(t, rows, 1);
          v = tArr;
        }
        case INPUT -> {
          INDArray src;
          if (n.intAt(0) == 0) {
            if (yArr == null) yArr = load(y, rows, f.ySize());
            src = yArr;
          } else {
            if (pArr == null) pArr = load(p, pRows, f.pSize());
            src = pArr;
          }
          int off = n.intAt(1);
          v = src.get(NDArrayIndex.all(), NDArrayIndex.interval(off, off + n.size()));
        }
        default -> v = apply(n, rows);
      }
      values[i] = v;
    }
    int k = 0;
    INDArray[] parts = new INDArray[f.outputs().size()];
    for (Node o : f.outputs()) parts[k++] = widen(value(o), rows);
    INDArray all = parts.length == 1 ? parts[0] : Nd4j.hstack(parts);
    read(all, out, rows * outSize);
  }

  /** The schedule, in evaluation order (for tests). */
  List<Node> schedule() {
    return schedule;
  }

  /** Node i's value from the last {@link #eval}, as [rows, size] row-major (for tests). */
  double[] lastValue(int i, int rows) {
    INDArray w = widen(values[i], rows);
    double[] v = new double[rows * schedule.get(i).size()];
    read(w, v, v.length);
    return v;
  }

  private INDArray value(Node n) {
    return values[slot[n.id]];
  }

  /** Copies the first rows·width values of {@code src} into a new [rows, width] array. */
  private static INDArray load(double[] src, int rows, int width) {
    INDArray a = Nd4j.create(DataType.DOUBLE, rows, Math.max(width, 1));
    if (width > 0) a.data().asNioDouble().put(src, 0, rows * width);
    return a;
  }

  /** Copies the first {@code count} values of a [rows, width] array, in row-major order, into dst. */
  private static void read(INDArray a, double[] dst, int count) {
    INDArray c = a.ordering() == 'c' && !a.isView() && a.offset() == 0 ? a : a.dup('c');
    DoubleBuffer b = c.data().asNioDouble();
    b.position(0);
    b.get(dst, 0, count);
  }

  /** The array as [rows, size] (a shared [1, size] value repeated over the rows). */
  private static INDArray widen(INDArray a, int rows) {
    return a.rows() == rows ? a : a.repeat(0, rows);
  }

  private INDArray apply(Node n, int rows) {
    return switch (n.op.kind) {
      case UNARY -> unary(n, value(n.arg(0)));
      case BINARY -> binary(n, value(n.arg(0)), value(n.arg(1)), rows);
      case TERNARY -> onJvm(n, rows);
      case TENSOR -> tensor(n, rows);
      case LEAF -> throw new IllegalStateException("leaf " + n.op);
    };
  }

  private INDArray unary(Node n, INDArray x) {
    return switch (n.op) {
      case NEG -> x.neg();
      case ABS -> Transforms.abs(x, true);
      case EXP -> Transforms.exp(x, true);
      case LOG -> Transforms.log(x, true);
      case SQRT -> Transforms.sqrt(x, true);
      case SIN -> Transforms.sin(x, true);
      case COS -> Transforms.cos(x, true);
      default -> map1(n.op, x);
    };
  }

  private INDArray binary(Node n, INDArray a, INDArray b, int rows) {
    if (n.op == Op.POW && n.arg(1).isConst() && (n.arg(1).isConstValue(2.0) || n.arg(1).isConstValue(3.0))) {
      // Scalar.pow multiplies small integer powers out
      return n.arg(1).isConstValue(2.0) ? a.mul(a) : a.mul(a).muli(a);
    }
    long r = Math.max(a.rows(), b.rows());
    long w = n.size();
    INDArray x = fit(a, r, w);
    INDArray y = fit(b, r, w);
    return switch (n.op) {
      case ADD -> x.add(y);
      case SUB -> x.sub(y);
      case MUL -> x.mul(y);
      case DIV -> x.div(y);
      case MIN -> Transforms.min(x, y, true);
      case MAX -> Transforms.max(x, y, true);
      default -> onJvm(n, rows);
    };
  }

  /** Broadcasts a [r0, w0] array (r0 ∈ {1, r}, w0 ∈ {1, w}) to [r, w]. */
  private static INDArray fit(INDArray a, long r, long w) {
    return a.rows() == r && a.columns() == w ? a : a.broadcast(r, w);
  }

  private INDArray tensor(Node n, int rows) {
    return switch (n.op) {
      case SUM -> {
        INDArray x = value(n.arg(0));
        yield x.sum(true, 1).reshape(x.rows(), 1);
      }
      case GATHER -> value(n.arg(0)).getColumns(n.ints());
      case PACK -> {
        long r = 1;
        for (Node a : n.args()) r = Math.max(r, value(a).rows());
        INDArray[] parts = new INDArray[n.arity()];
        for (int i = 0; i < parts.length; i++) {
          INDArray a = value(n.arg(i));
          parts[i] = a.rows() == r ? a : a.repeat(0, r);
        }
        yield parts.length == 1 ? parts[0].dup() : Nd4j.hstack(parts);
      }
      case MATMUL -> matmul(n, rows);
      default -> throw new IllegalStateException("not a tensor op: " + n.op);
    };
  }

  private INDArray matmul(Node n, int rows) {
    Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
    INDArray a = value(n.arg(0));
    INDArray b = value(n.arg(1));
    boolean aShared = a.rows() == 1;
    boolean bShared = b.rows() == 1;
    int m = d.m();
    int k = d.k();
    int nn = d.n();
    if (bShared) {
      // row r: A_r [m,k] · B [k,n]; the rows' A stacked is one GEMM
      INDArray stacked = a.dup('c').reshape('c', (long) a.rows() * m, k);
      INDArray prod = stacked.mmul(b.reshape('c', k, nn));
      return prod.reshape('c', a.rows(), (long) m * nn);
    }
    if (aShared && n.arg(1).shape.rank() == 1) {
      // A [m,k] shared, x_r a vector: out_r = A x_r, i.e. X [R,k] · Aᵀ
      INDArray mat = a.reshape('c', m, k);
      return b.mmul(mat.transpose());
    }
    return onJvm(n, rows);
  }

  /** Element-wise on the JVM with {@link Scalar}'s kernel, in parallel chunks when large. */
  private static INDArray map1(Op op, INDArray x) {
    double[] v = x.dup('c').data().asDouble();
    int chunk = 1 << 14;
    if (v.length < 2 * chunk) {
      for (int i = 0; i < v.length; i++) v[i] = Scalar.apply1(op, v[i]);
    } else {
      IntStream.range(0, (v.length + chunk - 1) / chunk).parallel().forEach(c -> {
        for (int i = c * chunk, end = Math.min(v.length, i + chunk); i < end; i++) v[i] = Scalar.apply1(op, v[i]);
      });
    }
    return Nd4j.create(v, x.shape(), DataType.DOUBLE);
  }

  /** Any node, row by row on the JVM with {@link Kernels} (the reference semantics). */
  private INDArray onJvm(Node n, int rows) {
    long r = 1;
    for (Node a : n.args()) r = Math.max(r, value(a).rows());
    double[][] operands = new double[n.arity()][];
    double[][] rowsOf = new double[n.arity()][];
    for (int i = 0; i < n.arity(); i++) {
      INDArray a = value(n.arg(i));
      operands[i] = a.dup('c').data().asDouble();
      rowsOf[i] = new double[(int) a.columns()];
    }
    int size = n.size();
    double[] result = new double[(int) r * size];
    double[] row = new double[size];
    for (int q = 0; q < r; q++) {
      for (int i = 0; i < operands.length; i++) {
        double[] src = operands[i];
        int w = rowsOf[i].length;
        int from = src.length == w ? 0 : q * w;
        System.arraycopy(src, from, rowsOf[i], 0, w);
      }
      Kernels.apply(n, rowsOf, row);
      System.arraycopy(row, 0, result, q * size, size);
    }
    return Nd4j.create(result, new long[] {r, size}, DataType.DOUBLE);
  }
}
