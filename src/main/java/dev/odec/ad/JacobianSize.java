package dev.odec.ad;

import dev.odec.ir.IrFunction;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the structurally non-zero entries of a {@link Jacobian} before it is built, on the
 * tensor graph, without scalarising: each element of each node gets the set of input columns it
 * depends on through ops with a non-zero derivative (comparisons, logic, {@code sign},
 * {@code floor}, {@code ceil} and a SELECT's condition pass nothing; a product with a constant
 * zero element passes nothing). The count is the sum of the outputs' set sizes — the pattern
 * {@link Jacobian#of} produces, or an upper bound where a derivative folds to zero only after
 * simplification.
 *
 * <p>The work is bounded: sets shared by every element of a node (a parameter matrix, the
 * product {@code W @ z}) are kept once, and as soon as the materialised sets exceed a multiple of
 * the caller's limit the count stops and reports a number above the limit. So a 3000 × 3000
 * dense product is recognised in about 3000 set operations instead of the 9·10⁶ nodes the
 * Jacobian would have.
 */
public final class JacobianSize {
  private static final int[] NONE = new int[0];

  private final int arg;
  private final long workLimit;
  private long work;
  private final Map<Node, Deps> memo = new HashMap<>();
  // a union of many sets: columns marked with the current epoch, collected in buf
  private final int[] stamp;
  private int epoch;
  private int[] buf = new int[16];
  private int bufLen;

  /**
   * The column sets of one node's elements: one set for all elements ({@code uniform}), one per
   * element ({@code per}), or element i = {column i + input} (an input slice, made on demand).
   */
  private record Deps(int size, int[] uniform, int[][] per, int input) {
    Deps(int size, int[] uniform, int[][] per) {
      this(size, uniform, per, -1);
    }

    int[] at(int i) {
      if (uniform != null) return uniform;
      int k = size == 1 ? 0 : i;
      return per != null ? per[k] : new int[] {input + k};
    }

    long total() {
      if (uniform != null) return (long) size * uniform.length;
      if (per == null) return size;
      long t = 0;
      for (int[] s : per) t += s.length;
      return t;
    }
  }

  /** Thrown inside the walk when the work limit is passed. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private JacobianSize(int arg, int cols, long limit) {
    this.arg = arg;
    this.workLimit = Math.max(1_000_000L, 4 * limit);
    this.stamp = new int[cols];
  }

  /**
   * The number of structurally non-zero entries of ∂f/∂(input {@code arg}) (0 = y, 1 = p) if it
   * is at most {@code limit}; otherwise some number above {@code limit}.
   */
  public static long entries(IrFunction f, int arg, long limit) {
    JacobianSize s = new JacobianSize(arg, arg == 0 ? f.ySize() : f.pSize(), limit);
    try {
      for (Node n : f.schedule()) s.memo.put(n, s.deps(n));
      long total = 0;
      for (Node o : f.outputs()) {
        total += s.memo.get(o).total();
        if (total > limit) return total;
      }
      return total;
    } catch (TooLarge e) {
      return Math.max(limit + 1, s.work);
    }
  }

  private Deps uniform(Node n, int[] set) {
    return new Deps(n.size(), set, null);
  }

  private Deps deps(Node n) {
    switch (n.op.kind) {
      case LEAF -> {
        if (n.op != Op.INPUT || n.intAt(0) != arg) return uniform(n, NONE);
        return new Deps(n.size(), null, null, n.intAt(1));
      }
      case UNARY, BINARY, TERNARY -> {
        return elementwise(n);
      }
      default -> {
        return tensor(n);
      }
    }
  }

  private Deps elementwise(Node n) {
    if (zeroDerivative(n.op)) return uniform(n, NONE);
    int first = n.op == Op.SELECT ? 1 : 0; // a SELECT's condition has no derivative
    boolean allUniform = true;
    for (int a = first; a < n.arity(); a++) allUniform &= memo.get(n.arg(a)).uniform() != null;
    if (allUniform) {
      int[] u = NONE;
      for (int a = first; a < n.arity(); a++) {
        if (!zeroFactor(n, a, 0)) u = merge(u, memo.get(n.arg(a)).uniform());
      }
      return uniform(n, u);
    }
    int[][] per = new int[n.size()][];
    charge(per.length);
    for (int i = 0; i < per.length; i++) {
      int[] u = NONE;
      if (n.op != Op.MUL || !(zeroFactor(n, 0, i) || zeroFactor(n, 1, i))) {
        for (int a = first; a < n.arity(); a++) u = merge(u, memo.get(n.arg(a)).at(i));
      }
      per[i] = u;
      charge(u.length);
    }
    return new Deps(n.size(), null, per);
  }

  /** Whether operand a of a product is the constant 0 at element i (the product folds to 0). */
  private static boolean zeroFactor(Node n, int a, int i) {
    if (n.op != Op.MUL) return false;
    Node c = n.arg(a);
    return c.isConst() && c.valueAt(c.size() == 1 ? 0 : i) == 0.0;
  }

  private static boolean zeroDerivative(Op op) {
    return switch (op) {
      case SIGN, FLOOR, CEIL, NOT, LT, LE, GT, GE, EQ, NE, AND, OR -> true;
      default -> false;
    };
  }

  private Deps tensor(Node n) {
    Deps x = memo.get(n.arg(0));
    switch (n.op) {
      case SUM -> {
        if (x.uniform() != null) return uniform(n, x.uniform());
        begin();
        for (int i = 0; i < x.size(); i++) add(x.at(i));
        return uniform(n, end());
      }
      case GATHER -> {
        if (x.uniform() != null) return uniform(n, x.uniform());
        int[][] per = new int[n.size()][];
        for (int i = 0; i < per.length; i++) per[i] = x.at(n.intAt(i));
        charge(per.length);
        return new Deps(n.size(), null, per);
      }
      case PACK -> {
        int[][] per = new int[n.size()][];
        int k = 0;
        for (Node part : n.args()) {
          Deps d = memo.get(part);
          for (int i = 0; i < part.size(); i++) per[k++] = d.at(i);
        }
        charge(per.length);
        return new Deps(n.size(), null, per);
      }
      case MATMUL -> {
        return matmul(n);
      }
      default -> throw new IllegalStateException(n.op.toString());
    }
  }

  /** out[i,j] depends on the union over l of a[i,l] and b[l,j] (skipping constant-zero factors). */
  private Deps matmul(Node n) {
    Node an = n.arg(0);
    Node bn = n.arg(1);
    Deps a = memo.get(an);
    Deps b = memo.get(bn);
    Kernels.MatmulDims d = Kernels.MatmulDims.of(an.shape, bn.shape);
    boolean sparseConst = an.isConst() || bn.isConst();
    if (!sparseConst && a.uniform() != null && b.uniform() != null) return uniform(n, merge(a.uniform(), b.uniform()));
    if (!sparseConst && a.uniform() != null) {
      // the same for every row i: column j's union over l of b[l, j], plus a's set
      int[][] col = new int[d.n()][];
      for (int j = 0; j < d.n(); j++) {
        begin();
        add(a.uniform());
        for (int l = 0; l < d.k(); l++) add(b.at(l * d.n() + j));
        col[j] = end();
      }
      if (d.n() == 1) return uniform(n, col[0]);
      int[][] per = new int[n.size()][];
      for (int i = 0; i < d.m(); i++) for (int j = 0; j < d.n(); j++) per[i * d.n() + j] = col[j];
      charge((long) d.m() * d.n());
      return new Deps(n.size(), null, per);
    }
    charge((long) d.m() * d.n() * d.k()); // the loop below, before any of it runs
    int[][] per = new int[n.size()][];
    for (int i = 0; i < d.m(); i++) {
      for (int j = 0; j < d.n(); j++) {
        begin();
        for (int l = 0; l < d.k(); l++) {
          int ai = i * d.k() + l;
          int bi = l * d.n() + j;
          if (an.isConst() && an.valueAt(ai) == 0.0 || bn.isConst() && bn.valueAt(bi) == 0.0) continue;
          add(a.at(ai));
          add(b.at(bi));
        }
        per[i * d.n() + j] = end();
      }
    }
    return new Deps(n.size(), null, per);
  }

  private void begin() {
    epoch++;
    bufLen = 0;
  }

  private void add(int[] set) {
    charge(set.length);
    for (int c : set) {
      if (stamp[c] == epoch) continue;
      stamp[c] = epoch;
      if (bufLen == buf.length) buf = Arrays.copyOf(buf, 2 * bufLen);
      buf[bufLen++] = c;
    }
  }

  /** The union collected since {@link #begin}, sorted. */
  private int[] end() {
    if (bufLen == 0) return NONE;
    int[] r = Arrays.copyOf(buf, bufLen);
    Arrays.sort(r);
    return r;
  }

  private void charge(long amount) {
    work += amount;
    if (work > workLimit) throw new TooLarge();
  }

  /** The union of two sorted sets, sharing an operand when the other adds nothing. */
  private static int[] merge(int[] x, int[] y) {
    if (y.length == 0 || x == y) return x;
    if (x.length == 0) return y;
    int[] out = new int[x.length + y.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < x.length && j < y.length) {
      if (x[i] < y[j]) out[k++] = x[i++];
      else if (x[i] > y[j]) out[k++] = y[j++];
      else {
        out[k++] = x[i++];
        j++;
      }
    }
    while (i < x.length) out[k++] = x[i++];
    while (j < y.length) out[k++] = y[j++];
    if (k == x.length) return x;
    if (k == y.length) return y;
    return Arrays.copyOf(out, k);
  }
}
