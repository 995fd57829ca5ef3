package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.Arrays;
import java.util.List;

/**
 * The local derivatives of the element-wise ops, shared by {@link Vjp} and {@link Jvp}: each
 * method returns {@code d * ∂n/∂operand} for a multiplier {@code d} (a cotangent in reverse mode,
 * a tangent in forward mode), or {@code null} where the partial derivative is identically zero.
 * Piecewise derivatives are SELECTs, so that the branch not taken contributes an exact zero.
 */
final class Derivs {
  private Derivs() {}

  private static final double LN10 = Math.log(10.0);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  /** {@code d * f'(x)} for the unary node {@code n = f(x)}; null for the piecewise-constant ops. */
  static Node unary(Graph g, Node n, Node d) {
    Node x = n.arg(0);
    return switch (n.op) {
      case NEG -> g.neg(d);
      case EXP -> g.mul(d, n);
      case LOG -> g.div(d, x);
      case LOG10 -> g.div(d, g.mul(x, g.constant(LN10)));
      case SQRT -> g.div(d, g.mul(g.constant(2.0), n));
      case ABS -> g.mul(d, g.unary(Op.SIGN, x));
      case SIN -> g.mul(d, g.unary(Op.COS, x));
      case COS -> g.neg(g.mul(d, g.unary(Op.SIN, x)));
      case TAN -> g.mul(d, g.add(g.constant(1.0), g.mul(n, n)));
      case ASIN -> g.div(d, oneMinusSquareRoot(g, x));
      case ACOS -> g.neg(g.div(d, oneMinusSquareRoot(g, x)));
      case ATAN -> g.div(d, g.add(g.constant(1.0), g.mul(x, x)));
      case SINH -> g.mul(d, g.unary(Op.COSH, x));
      case COSH -> g.mul(d, g.unary(Op.SINH, x));
      case TANH -> g.mul(d, g.sub(g.constant(1.0), g.mul(n, n)));
      case SIGMOID -> g.mul(d, g.mul(n, g.sub(g.constant(1.0), n)));
      case SOFTPLUS -> g.mul(d, g.unary(Op.SIGMOID, x));
      case RELU -> g.select(g.binary(Op.GT, x, g.constant(0.0)), d, g.constant(0.0));
      case ERF -> g.mul(d, g.mul(g.constant(TWO_OVER_SQRT_PI), g.unary(Op.EXP, g.neg(g.mul(x, x)))));
      case SIGN, FLOOR, CEIL, NOT -> null;
      default -> throw new IllegalArgumentException("not a unary op: " + n.op);
    };
  }

  private static Node oneMinusSquareRoot(Graph g, Node x) {
    return g.unary(Op.SQRT, g.sub(g.constant(1.0), g.mul(x, x)));
  }

  /**
   * {@code d * ∂n/∂a} for the binary node {@code n = op(a, b)}; null where identically zero.
   * MIN and MAX send ties to the first operand.
   */
  static Node first(Graph g, Node n, Node d) {
    Node a = n.arg(0);
    Node b = n.arg(1);
    return switch (n.op) {
      case ADD, SUB -> d;
      case MUL -> g.mul(d, b);
      case DIV -> g.div(d, b);
      case POW -> g.mul(d, g.mul(b, g.binary(Op.POW, a, g.sub(b, g.constant(1.0)))));
      case ATAN2 -> g.div(g.mul(d, b), sumOfSquares(g, a, b));
      case MIN -> g.select(g.binary(Op.LE, a, b), d, g.constant(0.0));
      case MAX -> g.select(g.binary(Op.GE, a, b), d, g.constant(0.0));
      case LT, LE, GT, GE, EQ, NE, AND, OR -> null;
      default -> throw new IllegalArgumentException("not a binary op: " + n.op);
    };
  }

  /**
   * {@code d * ∂n/∂b} for the binary node {@code n = op(a, b)}; null where identically zero. For
   * POW the caller asks only when b depends on an input (log(a) would be NaN for a negative base
   * raised to a constant power).
   */
  static Node second(Graph g, Node n, Node d) {
    Node a = n.arg(0);
    Node b = n.arg(1);
    return switch (n.op) {
      case ADD -> d;
      case SUB -> g.neg(d);
      case MUL -> g.mul(d, a);
      case DIV -> g.neg(g.div(g.mul(d, n), b));
      case POW -> g.mul(d, g.mul(g.unary(Op.LOG, a), n));
      case ATAN2 -> g.neg(g.div(g.mul(d, a), sumOfSquares(g, a, b)));
      case MIN -> g.select(g.binary(Op.LE, a, b), g.constant(0.0), d);
      case MAX -> g.select(g.binary(Op.GE, a, b), g.constant(0.0), d);
      case LT, LE, GT, GE, EQ, NE, AND, OR -> null;
      default -> throw new IllegalArgumentException("not a binary op: " + n.op);
    };
  }

  private static Node sumOfSquares(Graph g, Node a, Node b) {
    return g.add(g.mul(a, a), g.mul(b, b));
  }

  // ---- shape helpers -------------------------------------------------------------------------

  /** x as a node of the given shape: itself, or a scalar broadcast (all elements equal to x). */
  static Node broadcast(Graph g, Node x, dev.odec.ir.Shape shape) {
    if (x.shape.equals(shape)) return x;
    if (!x.shape.isScalar()) throw new IllegalArgumentException("cannot broadcast " + x.shape + " to " + shape);
    if (x.isConst()) {
      double[] v = new double[shape.size()];
      Arrays.fill(v, x.valueAt(0));
      return g.constant(shape, v);
    }
    Node[] copies = new Node[shape.size()];
    Arrays.fill(copies, x);
    return g.pack(List.of(copies), shape);
  }

  /** A contribution of the result's shape reduced to an operand's shape (SUM for a scalar operand). */
  static Node reduce(Graph g, Node c, dev.odec.ir.Shape shape) {
    if (c.shape.equals(shape)) return c;
    if (shape.isScalar()) return g.sum(c);
    return broadcast(g, c, shape);
  }

  static Node zeros(Graph g, dev.odec.ir.Shape shape) {
    return shape.isScalar() ? g.constant(0.0) : g.constant(shape, new double[shape.size()]);
  }

  /** The transpose of a matrix, as a GATHER. */
  static Node transpose(Graph g, Node m) {
    int r = m.shape.dim(0);
    int c = m.shape.dim(1);
    int[] idx = new int[r * c];
    for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) idx[i * r + j] = j * c + i;
    return g.gather(m, idx, dev.odec.ir.Shape.matrix(c, r));
  }

  /** The same elements viewed with another shape (a GATHER of the identity map). */
  static Node reshape(Graph g, Node x, dev.odec.ir.Shape shape) {
    int[] idx = new int[x.size()];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    return g.gather(x, idx, shape);
  }
}
