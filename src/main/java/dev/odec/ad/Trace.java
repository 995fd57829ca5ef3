package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace of ∂f_x/∂x for a block x of the state (a continuous normalizing flow's state), as a
 * generated expression: exactly, as the sum of the generated diagonal, or as Hutchinson's
 * estimate εᵀ (∂f_x/∂x) ε from one generated vector–Jacobian product.
 *
 * <p><b>Exact.</b> The diagonal entry i is ∂f_i/∂x_i: the forward-mode tangent of f_x along the
 * unit direction e_i ({@link Jvp}), of which only element i is taken — and that selection is
 * pushed down through the expression ({@link #elementOf}): through element-wise ops, GATHER and
 * PACK to the operand elements, and through a MATMUL to one row times one column. So the last
 * layer of a network, W · h, contributes one dot product per diagonal entry instead of the whole
 * column W · ḣ, and the generated graph computes the diagonal, not the Jacobian.
 *
 * <p><b>Hutchinson</b> (FFJORD, Grathwohl et al. 2019, eq. 7): with ε of zero mean and identity
 * covariance (Rademacher or standard normal), E[εᵀ A ε] = tr A; εᵀ (∂f_x/∂x) is one reverse-mode
 * product ({@link Vjp}) with cotangent ε, dotted with ε.
 */
public final class Trace {
  private Trace() {}

  /**
   * Σ_i ∂(fx)_i/∂y_{offset+i}, where fx is the dynamics of the block y[offset .. offset+d) with
   * d = fx.size().
   */
  public static Node exact(Graph g, Node fx, int offset, int ySize, int pSize) {
    int d = fx.size();
    Map<Long, Node> memo = new HashMap<>();
    Node tr = null;
    for (int i = 0; i < d; i++) {
      double[] unit = new double[ySize];
      unit[offset + i] = 1.0;
      Node dir = g.constant(Shape.vector(ySize), unit);
      Node tangent = Jvp.of(g, List.of(fx), dir, null, null, ySize, pSize).get(0);
      Node diag = elementOf(g, tangent, i, memo);
      tr = tr == null ? diag : g.add(tr, diag);
    }
    return tr == null ? g.constant(0.0) : tr;
  }

  /** εᵀ (∂fx/∂y_block) ε for a noise vector {@code eps} of fx's shape (an input of the function). */
  public static Node hutchinson(Graph g, Node fx, Node eps, int offset, int ySize, int pSize) {
    Vjp.Result r = Vjp.of(g, List.of(fx), List.of(eps), ySize, pSize);
    int d = fx.size();
    int[] idx = new int[d];
    for (int i = 0; i < d; i++) idx[i] = offset + i;
    Node block = g.gather(r.dy(), idx, eps.shape);
    return g.sum(g.mul(block, eps));
  }

  /**
   * Element {@code i} (row-major) of n as a scalar expression, built from the elements of n's
   * operands where that is cheaper than computing n whole (see the class comment).
   */
  static Node elementOf(Graph g, Node n, int i, Map<Long, Node> memo) {
    if (n.shape.isScalar()) return n;
    long key = ((long) n.id << 32) | i;
    Node done = memo.get(key);
    if (done != null) return done;
    Node r = switch (n.op.kind) {
      case UNARY -> g.unary(n.op, elementOf(g, n.arg(0), i, memo));
      case BINARY -> g.binary(n.op, elementOf(g, n.arg(0), i, memo), elementOf(g, n.arg(1), i, memo));
      case TERNARY -> g.select(elementOf(g, n.arg(0), i, memo), elementOf(g, n.arg(1), i, memo),
          elementOf(g, n.arg(2), i, memo));
      case TENSOR -> tensorElement(g, n, i, memo);
      case LEAF -> g.element(n, i);
    };
    memo.put(key, r);
    return r;
  }

  private static Node tensorElement(Graph g, Node n, int i, Map<Long, Node> memo) {
    switch (n.op) {
      case GATHER -> {
        return elementOf(g, n.arg(0), n.intAt(i), memo);
      }
      case PACK -> {
        int at = i;
        for (Node part : n.args()) {
          if (at < part.size()) return elementOf(g, part, at, memo);
          at -= part.size();
        }
        throw new IllegalArgumentException("element " + i + " outside " + n.shape);
      }
      case MATMUL -> {
        Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
        int row = i / d.n();
        int col = i % d.n();
        int[] rowIdx = new int[d.k()];
        int[] colIdx = new int[d.k()];
        for (int l = 0; l < d.k(); l++) {
          rowIdx[l] = row * d.k() + l;
          colIdx[l] = l * d.n() + col;
        }
        Node a = g.gather(n.arg(0), rowIdx, Shape.vector(d.k()));
        Node b = g.gather(n.arg(1), colIdx, Shape.vector(d.k()));
        return g.sum(g.mul(a, b));
      }
      default -> {
        return g.element(n, i);
      }
    }
  }

  /** Whether op has a derivative everywhere on its domain (the trace is then defined). */
  public static boolean smooth(Op op) {
    return switch (op) {
      case ABS, SIGN, RELU, FLOOR, CEIL, MIN, MAX, LT, LE, GT, GE, EQ, NE, AND, OR, NOT, SELECT -> false;
      default -> true;
    };
  }
}
