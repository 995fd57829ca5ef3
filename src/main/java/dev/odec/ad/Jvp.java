package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Node;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward-mode differentiation as a graph transform (Jacobian–vector products). For outputs
 * {@code f_i(t, y, p)} and a direction {@code (ẏ, ṗ, ṫ)} it builds, in the same {@link Graph},
 * the directional derivatives
 *
 * <pre>
 *   ḟ_i = ∂f_i/∂y · ẏ + ∂f_i/∂p · ṗ + ∂f_i/∂t · ṫ
 * </pre>
 *
 * one node per output with the output's shape (the forward sensitivity system
 * {@code s' = ∂f/∂y s + ∂f/∂p_j} is built from these). The direction's nodes are treated as
 * constants. Nodes are visited in increasing id order; a node whose operands all have zero
 * tangent gets none, so only the part of the graph that depends on the direction is copied.
 */
public final class Jvp {
  private Jvp() {}

  /**
   * Forward mode: the tangents of the outputs along {@code (ty: real[ySize], tp: real[pSize],
   * tt: scalar)}; any of ty, tp, tt may be null (zero). One node per output, same shapes.
   */
  public static List<Node> of(Graph g, List<Node> outputs, Node ty, Node tp, Node tt, int ySize, int pSize) {
    check(ty, ySize, "ty");
    check(tp, pSize, "tp");
    if (tt != null && !tt.shape.isScalar()) throw new IllegalArgumentException("tt must be scalar, is " + tt.shape);
    Map<Node, Node> dot = new HashMap<>();
    for (Node n : Reverse.subDag(outputs)) {
      Node d = tangent(g, n, dot, ty, tp, tt);
      if (d != null && !d.isConstValue(0.0)) {
        if (!d.shape.equals(n.shape)) d = Derivs.broadcast(g, d, n.shape);
        dot.put(n, d);
      }
    }
    List<Node> out = new ArrayList<>(outputs.size());
    for (Node o : outputs) {
      Node d = dot.get(o);
      out.add(d != null ? d : Derivs.zeros(g, o.shape));
    }
    return out;
  }

  private static void check(Node v, int size, String what) {
    if (v != null && !v.shape.equals(Shape.vector(size))) {
      throw new IllegalArgumentException(what + " must be real[" + size + "], is " + v.shape);
    }
  }

  /** The tangent of n from its operands' tangents (null = zero): one rule per op. */
  private static Node tangent(Graph g, Node n, Map<Node, Node> dot, Node ty, Node tp, Node tt) {
    return switch (n.op) {
      case CONST -> null;
      case TIME -> tt;
      case INPUT -> {
        Node v = n.intAt(0) == 0 ? ty : n.intAt(0) == 1 ? tp : null;
        if (v == null) yield null;
        int[] idx = new int[n.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = n.intAt(1) + i;
        yield g.gather(v, idx, n.shape);
      }
      case NEG, EXP, LOG, LOG10, SQRT, ABS, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH,
          SIGMOID, SOFTPLUS, RELU, ERF -> {
        Node dx = dot.get(n.arg(0));
        yield dx == null ? null : Derivs.unary(g, n, dx);
      }
      case SIGN, FLOOR, CEIL, NOT -> null; // piecewise constant
      case ADD, SUB, MUL, DIV, POW, ATAN2, MIN, MAX -> {
        // for POW, the exponent's term exists only when the exponent has a tangent
        Node da = dot.get(n.arg(0));
        Node db = dot.get(n.arg(1));
        yield plus(g, da == null ? null : Derivs.first(g, n, da), db == null ? null : Derivs.second(g, n, db));
      }
      case LT, LE, GT, GE, EQ, NE, AND, OR -> null; // 0/1 valued
      case SELECT -> {
        Node da = dot.get(n.arg(1));
        Node db = dot.get(n.arg(2));
        if (da == null && db == null) yield null;
        Node zero = g.constant(0.0);
        yield g.select(n.arg(0), da == null ? zero : da, db == null ? zero : db);
      }
      case MATMUL -> {
        Node da = dot.get(n.arg(0));
        Node db = dot.get(n.arg(1));
        yield plus(g, da == null ? null : g.matmul(da, n.arg(1)), db == null ? null : g.matmul(n.arg(0), db));
      }
      case SUM -> {
        Node dx = dot.get(n.arg(0));
        yield dx == null ? null : g.sum(dx);
      }
      case GATHER -> {
        Node dx = dot.get(n.arg(0));
        yield dx == null ? null : g.gather(dx, n.ints(), n.shape);
      }
      case PACK -> {
        List<Node> parts = new ArrayList<>(n.arity());
        boolean any = false;
        for (Node part : n.args()) {
          Node d = dot.get(part);
          any |= d != null;
          parts.add(d != null ? d : Derivs.zeros(g, part.shape));
        }
        yield any ? g.pack(parts, n.shape) : null;
      }
    };
  }

  private static Node plus(Graph g, Node a, Node b) {
    if (a == null) return b;
    if (b == null) return a;
    return g.add(a, b);
  }
}
