package dev.odec.codegen;

import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random {@link IrFunction}s for differential testing of backends: random DAGs built
 * through {@link Graph} that use every {@link Op} on scalars, vectors and matrices, with
 * broadcasting, all three MATMUL shape combinations, SUM, GATHER (random indices, slices,
 * transposes, single elements), PACK, SELECT over comparisons and every unary function. Domains
 * are mostly kept sane (log of |x| + 0.1, asin of tanh x, ...) so that most values are finite,
 * but a few raw, NaN-producing applications are mixed in.
 */
public final class RandomGraphs {
  /** How large the tensors of a graph are, and how many ops it has. */
  public record Config(int steps, int[] vectorSizes, int[][] matrixShapes, boolean scalarOnly) {
    /** Small tensors only: everything fits the unrolled paths. */
    public static Config small(int steps) {
      return new Config(steps, new int[] {2, 3, 4}, new int[][] {{2, 2}, {2, 3}, {3, 2}}, false);
    }

    /** A mix of small tensors and tensors above the unroll threshold (the loop paths). */
    public static Config mixed(int steps) {
      return new Config(
          steps,
          new int[] {3, 5, 17, 24, 40},
          new int[][] {{2, 3}, {3, 4}, {4, 4}, {2, 30}, {30, 2}, {5, 6}, {6, 5}, {8, 8}},
          false);
    }

    /** Scalars only, for very large straight-line graphs. */
    public static Config scalars(int steps) {
      return new Config(steps, new int[] {2}, new int[][] {{2, 2}}, true);
    }
  }

  private static final Op[] UNARY = {
    Op.NEG, Op.EXP, Op.LOG, Op.LOG10, Op.SQRT, Op.ABS, Op.SIGN, Op.SIN, Op.COS, Op.TAN, Op.ASIN,
    Op.ACOS, Op.ATAN, Op.SINH, Op.COSH, Op.TANH, Op.SIGMOID, Op.SOFTPLUS, Op.RELU, Op.ERF, Op.FLOOR,
    Op.CEIL, Op.NOT
  };
  private static final Op[] BINARY = {
    Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.ATAN2, Op.MIN, Op.MAX, Op.LT, Op.LE, Op.GT, Op.GE,
    Op.EQ, Op.NE, Op.AND, Op.OR
  };
  private static final Op[] COMPARE = {Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE};

  public static final int Y_SIZE = 120;
  public static final int P_SIZE = 80;

  private final Random rnd;
  private final Config cfg;
  private final Graph g = new Graph();
  private final List<Node> pool = new ArrayList<>();
  private final Map<Shape, List<Node>> byShape = new HashMap<>();

  private RandomGraphs(long seed, Config cfg) {
    this.rnd = new Random(seed);
    this.cfg = cfg;
  }

  /** A random function of {@code t}, {@code y} (length {@link #Y_SIZE}) and {@code p} ({@link #P_SIZE}). */
  public static IrFunction function(long seed, Config cfg) {
    return new RandomGraphs(seed, cfg).build("rnd" + seed);
  }

  /** Random inputs for {@code f}: mostly in [-2, 2], with a few zeros, ones and negative zeros. */
  public static double[] vector(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(40);
      v[i] = c == 0 ? 0.0 : c == 1 ? -0.0 : c == 2 ? 1.0 : 4 * rnd.nextDouble() - 2;
    }
    return v;
  }

  private IrFunction build(String name) {
    add(g.time());
    for (int i = 0; i < 4; i++) add(g.input(rnd.nextBoolean() ? 0 : 1, rnd.nextInt(P_SIZE), Shape.SCALAR));
    add(g.constant(rnd.nextInt(5) - 2.0));
    add(g.constant(0.5));
    for (int s = 0; s < cfg.steps(); s++) step();
    List<Node> outs = new ArrayList<>();
    int nOut = 1 + rnd.nextInt(5);
    // the most recent nodes are the least likely to be used by others
    for (int i = 0; i < nOut; i++) {
      int from = Math.max(0, pool.size() - 12);
      outs.add(pool.get(from + rnd.nextInt(pool.size() - from)));
    }
    // sums of many nodes keep most of the graph live
    int alive = Math.min(pool.size(), 3 + cfg.steps() / 2);
    Node acc = g.constant(0.0);
    for (int i = 0; i < alive; i++) {
      Node n = pool.get(rnd.nextInt(pool.size()));
      Node sv = n.shape.isScalar() ? n : g.sum(n);
      acc = g.add(acc, g.unary(Op.TANH, sv));
    }
    outs.add(acc);
    if (rnd.nextInt(4) == 0) outs.add(outs.get(0)); // the same node twice
    if (rnd.nextInt(4) == 0) outs.add(g.input(0, 3, Shape.vector(cfg.scalarOnly() ? 1 : 7))); // a leaf
    return new IrFunction(name, outs, Y_SIZE, P_SIZE);
  }

  private void add(Node n) {
    pool.add(n);
    byShape.computeIfAbsent(n.shape, s -> new ArrayList<>()).add(n);
  }

  private Node any() {
    // favour recent nodes: deeper graphs
    if (rnd.nextInt(3) > 0) {
      int from = Math.max(0, pool.size() - 20);
      return pool.get(from + rnd.nextInt(pool.size() - from));
    }
    return pool.get(rnd.nextInt(pool.size()));
  }

  private Shape randomShape() {
    if (cfg.scalarOnly() || rnd.nextInt(3) == 0) return Shape.SCALAR;
    if (rnd.nextBoolean()) return Shape.vector(cfg.vectorSizes()[rnd.nextInt(cfg.vectorSizes().length)]);
    int[] m = cfg.matrixShapes()[rnd.nextInt(cfg.matrixShapes().length)];
    return Shape.matrix(m[0], m[1]);
  }

  /** A node of the given shape: an existing one, an input slice, a constant or a gather. */
  private Node ofShape(Shape s) {
    List<Node> have = byShape.get(s);
    int c = rnd.nextInt(10);
    if (have != null && c < 5) {
      if (rnd.nextInt(3) > 0) return have.get(Math.max(0, have.size() - 1 - rnd.nextInt(Math.min(have.size(), 6))));
      return have.get(rnd.nextInt(have.size()));
    }
    if (c < 7 && s.size() < P_SIZE) {
      int arg = rnd.nextBoolean() ? 0 : 1;
      int limit = arg == 0 ? Y_SIZE : P_SIZE;
      return g.input(arg, rnd.nextInt(limit - s.size() + 1), s);
    }
    if (c == 7) {
      double[] v = new double[s.size()];
      for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(8) == 0 ? rnd.nextInt(3) : 3 * rnd.nextDouble() - 1.5;
      return s.isScalar() ? g.constant(v[0]) : g.constant(s, v);
    }
    if (s.rank() == 2 && byShape.containsKey(Shape.matrix(s.dim(1), s.dim(0))) && rnd.nextBoolean()) {
      return transpose(pick(byShape.get(Shape.matrix(s.dim(1), s.dim(0)))));
    }
    Node src = any();
    int[] idx = new int[s.size()];
    if (rnd.nextBoolean() && src.size() >= idx.length) {
      int start = rnd.nextInt(src.size() - idx.length + 1); // a slice
      for (int i = 0; i < idx.length; i++) idx[i] = start + i;
    } else {
      for (int i = 0; i < idx.length; i++) idx[i] = rnd.nextInt(src.size());
    }
    return g.gather(src, idx, s);
  }

  private Node pick(List<Node> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  private Node transpose(Node m) {
    int r = m.shape.dim(0);
    int c = m.shape.dim(1);
    int[] idx = new int[r * c];
    for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) idx[i * r + j] = j * c + i;
    return g.gather(m, idx, Shape.matrix(c, r));
  }

  /** An operand for x's op: of x's shape, or (sometimes) a broadcast scalar. */
  private Node partner(Node x) {
    if (x.shape.isScalar() || rnd.nextInt(4) > 0) return ofShape(x.shape);
    return ofShape(Shape.SCALAR);
  }

  private void step() {
    int c = rnd.nextInt(cfg.scalarOnly() ? 12 : 20);
    if (c < 5) add(unary());
    else if (c < 10) add(binary());
    else if (c < 12) add(select());
    else if (c < 14) add(matmul());
    else if (c < 15) add(g.sum(ofShape(randomShape())));
    else if (c < 17) add(ofShape(randomShape())); // gathers, slices, transposes, inputs
    else if (c < 18) add(g.element(any(), 0)); // element of something
    else add(pack());
  }

  private Node unary() {
    Op op = UNARY[rnd.nextInt(UNARY.length)];
    Node x = rnd.nextInt(4) == 0 ? ofShape(randomShape()) : any();
    boolean raw = rnd.nextInt(12) == 0; // sometimes NaN-producing
    if (!raw) {
      switch (op) {
        case LOG, LOG10, SQRT -> x = g.add(g.unary(Op.ABS, x), g.constant(0.1));
        case ASIN, ACOS -> x = g.unary(Op.TANH, x);
        case EXP, SINH, COSH, TAN -> x = g.mul(g.unary(Op.TANH, x), g.constant(3.0));
        default -> {}
      }
    }
    return g.unary(op, x);
  }

  private Node binary() {
    Op op = BINARY[rnd.nextInt(BINARY.length)];
    Node a = any();
    Node b = partner(a);
    if (rnd.nextInt(6) == 0) { // scalar on the left, tensor on the right
      Node t = a;
      a = b.shape.isScalar() ? b : ofShape(Shape.SCALAR);
      b = t;
    }
    if (op == Op.POW && rnd.nextInt(10) > 0) {
      a = g.add(g.unary(Op.ABS, a), g.constant(0.1));
      if (rnd.nextBoolean()) {
        double[] ex = {2.0, 3.0, 0.5, 1.5, -1.0, 0.0, 1.0};
        b = g.constant(ex[rnd.nextInt(ex.length)]);
      } else {
        b = g.unary(Op.TANH, b);
      }
    }
    if (op == Op.DIV && rnd.nextInt(10) > 0) b = g.add(g.unary(Op.ABS, b), g.constant(0.25));
    if ((op == Op.EQ || op == Op.NE) && rnd.nextBoolean()) b = g.unary(Op.FLOOR, a); // often equal
    return g.binary(op, a, b);
  }

  private Node select() {
    Node x = any();
    Node y = partner(x);
    Node cond = rnd.nextInt(5) == 0 ? x : g.binary(COMPARE[rnd.nextInt(COMPARE.length)], x, y);
    Node a = partner(cond);
    Node b = rnd.nextBoolean() ? partner(cond) : ofShape(Shape.SCALAR);
    return g.select(cond, a, b);
  }

  private Node matmul() {
    if (cfg.scalarOnly()) return binary();
    int m = dim();
    int k = dim();
    int n = dim();
    return switch (rnd.nextInt(3)) {
      case 0 -> g.matmul(ofShape(Shape.matrix(m, k)), ofShape(Shape.matrix(k, n)));
      case 1 -> g.matmul(ofShape(Shape.matrix(m, k)), ofShape(Shape.vector(k)));
      default -> g.matmul(ofShape(Shape.vector(k)), ofShape(Shape.matrix(k, n)));
    };
  }

  private int dim() {
    int[] v = cfg.vectorSizes();
    if (rnd.nextBoolean()) return 1 + rnd.nextInt(4);
    return v[rnd.nextInt(v.length)];
  }

  private Node pack() {
    int parts = 1 + rnd.nextInt(5);
    List<Node> ps = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < parts; i++) {
      Node p = rnd.nextInt(3) == 0 ? ofShape(randomShape()) : any();
      ps.add(p);
      total += p.size();
    }
    // sometimes a matrix literal of scalars
    if (rnd.nextInt(4) == 0) {
      ps.clear();
      int r = 2 + rnd.nextInt(3);
      int c = 2 + rnd.nextInt(3);
      for (int i = 0; i < r * c; i++) ps.add(ofShape(Shape.SCALAR));
      return g.pack(ps, Shape.matrix(r, c));
    }
    return g.pack(ps, Shape.vector(total));
  }
}
