package dev.odec.ir;

/**
 * Reference evaluation of one op over materialised operand values: the semantics of {@link Op},
 * written once. Used by constant folding and by the interpreter backend; generated code must
 * reproduce these results bit for bit (same operation order, no fused multiply-add).
 */
public final class Kernels {
  private Kernels() {}

  /**
   * Computes node {@code n} from its operands' values into {@code out} (length n.size()).
   * LEAF ops other than CONST are not handled here (they read the inputs).
   */
  public static void apply(Node n, double[][] a, double[] out) {
    int size = n.size();
    switch (n.op.kind) {
      case LEAF -> {
        if (n.op != Op.CONST) throw new IllegalArgumentException("leaf " + n.op + " has no kernel");
        for (int i = 0; i < size; i++) out[i] = n.valueAt(i);
      }
      case UNARY -> {
        double[] x = a[0];
        for (int i = 0; i < size; i++) out[i] = Scalar.apply1(n.op, x[x.length == 1 ? 0 : i]);
      }
      case BINARY -> {
        double[] x = a[0];
        double[] y = a[1];
        for (int i = 0; i < size; i++) {
          out[i] = Scalar.apply2(n.op, x[x.length == 1 ? 0 : i], y[y.length == 1 ? 0 : i]);
        }
      }
      case TERNARY -> {
        double[] c = a[0];
        double[] x = a[1];
        double[] y = a[2];
        for (int i = 0; i < size; i++) {
          out[i] =
              c[c.length == 1 ? 0 : i] != 0.0 ? x[x.length == 1 ? 0 : i] : y[y.length == 1 ? 0 : i];
        }
      }
      case TENSOR -> tensor(n, a, out);
    }
  }

  private static void tensor(Node n, double[][] a, double[] out) {
    switch (n.op) {
      case SUM -> {
        double acc = 0.0;
        for (double v : a[0]) acc += v;
        out[0] = acc;
      }
      case GATHER -> {
        double[] x = a[0];
        for (int i = 0; i < out.length; i++) out[i] = x[n.intAt(i)];
      }
      case PACK -> {
        int k = 0;
        for (double[] part : a) {
          System.arraycopy(part, 0, out, k, part.length);
          k += part.length;
        }
      }
      case MATMUL -> {
        MatmulDims d = MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
        double[] x = a[0];
        double[] y = a[1];
        for (int i = 0; i < d.m(); i++) {
          for (int j = 0; j < d.n(); j++) {
            double acc = 0.0;
            for (int l = 0; l < d.k(); l++) acc += x[i * d.k() + l] * y[l * d.n() + j];
            out[i * d.n() + j] = acc;
          }
        }
      }
      default -> throw new IllegalArgumentException("not a tensor op: " + n.op);
    }
  }

  /**
   * The dimensions of a matrix product viewed as [m,k]@[k,n]; a vector on the left is [1,k], a
   * vector on the right is [k,1].
   */
  public record MatmulDims(int m, int k, int n) {
    public static MatmulDims of(Shape a, Shape b) {
      // a scalar has no dimensions to read: reject it before asking for any
      if (a.rank() == 0 || b.rank() == 0 || (a.rank() == 1 && b.rank() == 1)) return null;
      int m = a.rank() == 2 ? a.dim(0) : 1;
      int k = a.rank() == 2 ? a.dim(1) : a.dim(0);
      int n = b.rank() == 2 ? b.dim(1) : 1;
      return k == b.dim(0) ? new MatmulDims(m, k, n) : null;
    }

    /** The result shape: [m,n], [m] or [n]. */
    public static Shape resultShape(Shape a, Shape b) {
      MatmulDims d = of(a, b);
      if (d == null) return null;
      if (a.rank() == 2 && b.rank() == 2) return Shape.matrix(d.m, d.n);
      return a.rank() == 2 ? Shape.vector(d.m) : Shape.vector(d.n);
    }
  }
}
