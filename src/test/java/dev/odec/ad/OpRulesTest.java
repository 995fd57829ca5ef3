package dev.odec.ad;

import static dev.odec.ad.AdTesting.Point;
import static dev.odec.ad.AdTesting.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dot-product test for every op: ⟨v, Jᵀu⟩ (Vjp) = ⟨Jv, u⟩ (Jvp) to 1e-12 and both equal a
 * central finite difference to 1e-6, along y, p, t and all three, on scalar, vector and matrix
 * operands with broadcasting. Operands are y slices times p values plus a multiple of t, so every
 * direction reaches every op; inputs lie in [0.5, 1.5], away from domain edges.
 */
class OpRulesTest {
  static final int Y = 12;
  static final int P = 8;

  /** The piecewise-constant and 0/1-valued ops: their derivative must be exactly zero. */
  static final Set<Op> FLAT = EnumSet.of(Op.SIGN, Op.FLOOR, Op.CEIL, Op.NOT, Op.LT, Op.LE, Op.GT, Op.GE,
      Op.EQ, Op.NE, Op.AND, Op.OR);

  /** Operand factory over one graph: each operand depends on y, p and t. */
  static final class Operands {
    final Graph g = new Graph();
    final Node t = g.time();

    /** An active operand of shape s read from y at offset oy, scaled by p[ip], plus 0.1 t. */
    Node y(Shape s, int oy, int ip) {
      return g.add(g.mul(g.input(0, oy, s), g.input(1, ip, Shape.SCALAR)), g.mul(t, g.constant(0.1)));
    }

    /** An active operand read from p at offset op. */
    Node p(Shape s, int op) {
      return g.add(g.input(1, op, s), g.mul(g.input(0, 11, Shape.SCALAR), g.constant(0.2)));
    }
  }

  static Point point(Random rnd) {
    return new Point(0.5 + 0.5 * rnd.nextDouble(), AdTesting.uniform(rnd, Y, 0.5, 1.5), AdTesting.uniform(rnd, P, 0.5, 1.5));
  }

  static final Shape S = Shape.SCALAR;
  static final Shape V = Shape.vector(3);
  static final Shape M = Shape.matrix(2, 2);

  private static void run(Operands o, String name, List<Node> outs, long seed) {
    IrFunction f = new IrFunction(name, outs, Y, P);
    Random rnd = new Random(seed);
    for (int k = 0; k < 3; k++) {
      AdTesting.Outcome r = check(o.g, f, point(rnd), rnd, false);
      assertEquals(4, r.directions(), name);
      assertEquals(4, r.finiteDifferences(), name);
    }
  }

  private static void assertZeroDerivative(Operands o, String name, List<Node> outs) {
    List<Node> cots = new ArrayList<>();
    for (Node n : outs) cots.add(n.shape.isScalar() ? o.g.constant(1.0) : o.g.constant(n.shape, ones(n.size())));
    Vjp.Result r = Vjp.of(o.g, outs, cots, Y, P);
    assertTrue(r.dy().isConstValue(0.0) && r.dp().isConstValue(0.0) && r.dt().isConstValue(0.0), name + ": vjp not 0");
    Node vy = AdTesting.vectorConst(o.g, ones(Y));
    Node vp = AdTesting.vectorConst(o.g, ones(P));
    for (Node d : Jvp.of(o.g, outs, vy, vp, o.g.constant(1.0), Y, P)) {
      assertTrue(d.isConstValue(0.0), name + ": jvp not 0");
    }
  }

  private static double[] ones(int n) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, 1.0);
    return d;
  }

  @ParameterizedTest
  @EnumSource(value = Op.class, names = {"NEG", "EXP", "LOG", "LOG10", "SQRT", "ABS", "SIGN", "SIN", "COS", "TAN",
      "ASIN", "ACOS", "ATAN", "SINH", "COSH", "TANH", "SIGMOID", "SOFTPLUS", "RELU", "ERF", "FLOOR", "CEIL", "NOT"})
  void unary(Op op) {
    Operands o = new Operands();
    Graph g = o.g;
    List<Node> outs = new ArrayList<>();
    int i = 0;
    for (Shape s : List.of(S, V, M)) {
      Node x = o.y(s, 1 + i, i);
      x = switch (op) {
        case ASIN, ACOS -> g.mul(x, g.constant(0.4));
        case TAN -> g.mul(x, g.constant(0.6));
        case ABS, RELU, SIGN, FLOOR, CEIL, NOT -> g.sub(x, g.constant(1.1));
        default -> x;
      };
      outs.add(g.unary(op, x));
      i++;
    }
    if (FLAT.contains(op)) assertZeroDerivative(o, op.text, outs);
    else run(o, op.text, outs, op.ordinal());
  }

  @ParameterizedTest
  @EnumSource(value = Op.class, names = {"ADD", "SUB", "MUL", "DIV", "POW", "ATAN2", "MIN", "MAX", "LT", "LE", "GT",
      "GE", "EQ", "NE", "AND", "OR"})
  void binary(Op op) {
    Operands o = new Operands();
    Graph g = o.g;
    List<Node> outs = new ArrayList<>();
    Shape[][] combos = {{S, S}, {V, V}, {S, V}, {V, S}, {M, M}, {M, S}, {S, M}};
    int i = 0;
    for (Shape[] c : combos) {
      Node a = o.y(c[0], i % 5, i % 8);
      Node b = o.p(c[1], (i + 3) % 4);
      outs.add(g.binary(op, a, b));
      // one operand inactive (a constant)
      outs.add(g.binary(op, a, g.constant(0.9)));
      outs.add(g.binary(op, g.constant(1.1), b));
      i++;
    }
    if (FLAT.contains(op)) assertZeroDerivative(o, op.text, outs);
    else run(o, op.text, outs, 100 + op.ordinal());
  }

  @Test
  void powerWithConstantExponentsAndNegativeBases() {
    Operands o = new Operands();
    Graph g = o.g;
    List<Node> outs = new ArrayList<>();
    for (double e : new double[] {2, 3, 0.5, 1.5, -1, -2.5}) {
      outs.add(g.binary(Op.POW, o.y(V, 0, 1), g.constant(e)));
    }
    Node negative = g.sub(o.y(V, 2, 3), g.constant(3.0)); // in [-2.8, -0.6]
    for (double e : new double[] {2, 3, -1}) outs.add(g.binary(Op.POW, negative, g.constant(e)));
    run(o, "pow", outs, 7);
  }

  @Test
  void select() {
    Operands o = new Operands();
    Graph g = o.g;
    List<Node> outs = new ArrayList<>();
    Shape[][] combos = {{S, S, S}, {V, V, V}, {V, S, V}, {V, V, S}, {S, V, V}, {M, M, S}, {M, S, S}};
    int i = 0;
    for (Shape[] c : combos) {
      Node cond = g.binary(Op.GT, o.y(c[0], i % 4, 0), o.p(c[0], 2));
      outs.add(g.select(cond, o.y(c[1], 5, i % 8), o.p(c[2], i % 4)));
      i++;
    }
    run(o, "select", outs, 8);
  }

  @Test
  void matmulAllShapeCases() {
    Operands o = new Operands();
    Graph g = o.g;
    Node a23 = o.y(Shape.matrix(2, 3), 0, 0);
    Node b32 = o.p(Shape.matrix(3, 2), 1);
    Node v3 = o.p(Shape.vector(3), 4);
    Node v2 = o.y(Shape.vector(2), 7, 2);
    Node c32 = g.constant(Shape.matrix(3, 2), new double[] {1, -2, 0.5, 3, -1, 2});
    List<Node> outs = List.of(
        g.matmul(a23, b32), g.matmul(a23, v3), g.matmul(v2, a23),
        g.matmul(a23, c32), g.matmul(c32, o.y(Shape.vector(2), 3, 5)),
        g.unary(Op.SIN, g.matmul(g.matmul(a23, b32), o.y(Shape.matrix(2, 2), 4, 6))),
        g.matmul(o.y(Shape.matrix(1, 3), 0, 1), o.p(Shape.matrix(3, 1), 2)));
    run(o, "matmul", outs, 9);
  }

  @Test
  void sumBroadcastsItsCotangent() {
    Operands o = new Operands();
    Graph g = o.g;
    Node m = o.y(Shape.matrix(2, 3), 0, 0);
    List<Node> outs = List.of(g.sum(m), g.mul(g.sum(o.y(V, 6, 3)), o.p(V, 1)), g.unary(Op.EXP, g.sum(g.mul(m, m))));
    run(o, "sum", outs, 10);
  }

  @Test
  void gatherWithRepeatsTransposesAndBroadcasts() {
    Operands o = new Operands();
    Graph g = o.g;
    Node x = o.y(Shape.vector(6), 1, 2);
    Node m = o.y(Shape.matrix(2, 3), 4, 5);
    Node s = o.y(S, 0, 0);
    List<Node> outs = new ArrayList<>();
    outs.add(g.gather(x, new int[] {0, 0, 1, 5, 5, 5, 2}, Shape.vector(7))); // repeats: per-element sums
    outs.add(g.gather(x, new int[] {3, 3, 0, 1}, Shape.vector(4))); // two levels, with gaps
    outs.add(g.gather(x, new int[] {5, 4, 3, 2, 1, 0}, Shape.vector(6))); // a permutation
    outs.add(g.gather(x, new int[] {1, 2, 3, 4}, Shape.matrix(2, 2))); // slice reshaped
    outs.add(g.element(x, 4));
    outs.add(g.gather(m, new int[] {0, 3, 1, 4, 2, 5}, Shape.matrix(3, 2))); // transpose
    outs.add(g.gather(s, new int[] {0, 0, 0, 0, 0}, Shape.vector(5))); // broadcast of a scalar
    outs.add(g.gather(g.mul(x, x), new int[] {2, 2}, Shape.vector(2)));
    Node sq = g.gather(g.unary(Op.SIN, x), new int[] {1, 1, 1, 4}, Shape.vector(4));
    outs.add(g.mul(sq, sq));
    run(o, "gather", outs, 11);
  }

  @Test
  void packSendsSlicesBack() {
    Operands o = new Operands();
    Graph g = o.g;
    Node s = o.y(S, 0, 1);
    Node v = o.p(V, 2);
    Node m = o.y(M, 3, 4);
    List<Node> outs = List.of(
        g.pack(List.of(s, v, m, g.constant(2.0)), Shape.vector(9)),
        g.pack(List.of(s, g.unary(Op.COS, s), o.p(S, 0), g.mul(s, o.p(S, 1))), Shape.matrix(2, 2)),
        g.unary(Op.TANH, g.pack(List.of(v, s, s), Shape.vector(5))));
    run(o, "pack", outs, 12);
  }

  @Test
  void timeOnlyAndOverlappingInputSlices() {
    Operands o = new Operands();
    Graph g = o.g;
    Node yAll = g.input(0, 0, Shape.vector(Y));
    Node yMid = g.input(0, 2, Shape.matrix(2, 3)); // overlaps yAll and y3
    Node y3 = g.input(0, 3, S);
    List<Node> outs = List.of(
        g.unary(Op.SIN, g.mul(o.t, o.t)),
        g.mul(g.sum(g.unary(Op.EXP, yAll)), y3),
        g.matmul(yMid, g.input(1, 0, Shape.vector(3))),
        g.mul(y3, g.input(1, 7, S)));
    run(o, "overlap", outs, 13);
  }

  @Test
  void chainRuleThroughSharedSubexpressions() {
    Operands o = new Operands();
    Graph g = o.g;
    Node x = o.y(V, 0, 0);
    Node e = g.unary(Op.EXP, g.neg(g.mul(x, x)));
    Node w = g.add(g.mul(e, x), g.div(e, o.p(V, 1)));
    List<Node> outs = List.of(g.mul(w, e), g.sum(g.mul(w, w)), e);
    run(o, "shared", outs, 14);
  }
}
