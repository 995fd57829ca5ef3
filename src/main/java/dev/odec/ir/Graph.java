package dev.odec.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The factory and interner of IR nodes. Every node is built here: structurally equal requests
 * return the same node (so common subexpressions are shared), operands are shape-checked, and
 * the algebraic simplifications below are applied on construction. Shape errors here are
 * compiler bugs (the type checker reports user errors before lowering) and throw
 * {@link IllegalArgumentException}.
 *
 * <p><b>Read-only models, private transforms.</b> A checked model's graph is shared by everything
 * that uses the model (several threads may solve one compiled model). Transforms that add nodes
 * (derivatives, Jacobians, augmented systems) work in a {@link #fork()}: a graph that sees every
 * node of its parent, shares them, and interns its own new nodes privately. Forking freezes the
 * parent: from then on it only answers lookups, which is safe from any number of threads.
 */
public final class Graph {
  private final Map<Node.Key, Node> interned = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Graph parent;
  /** Ids of this graph's own nodes start after its parent's. */
  private final int base;
  private volatile boolean frozen;

  public Graph() {
    this(null);
  }

  private Graph(Graph parent) {
    this.parent = parent;
    this.base = parent == null ? 0 : parent.size();
  }

  /**
   * A graph for a transform: it sees this graph's nodes (shared, not copied) and adds its own.
   * This graph is frozen from now on: building a node that it does not already hold is an error.
   */
  public Graph fork() {
    frozen = true;
    return new Graph(this);
  }

  /** All nodes created so far (the parent's first), in creation (topological) order. */
  public List<Node> nodes() {
    if (parent == null) return List.copyOf(nodes);
    List<Node> all = new ArrayList<>(parent.nodes());
    all.addAll(nodes);
    return List.copyOf(all);
  }

  public int size() {
    return base + nodes.size();
  }

  // ---- leaves --------------------------------------------------------------------------------

  public Node constant(double v) {
    return intern(Op.CONST, new Node[0], Shape.SCALAR, null, new double[] {v});
  }

  public Node constant(Shape shape, double[] values) {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException("constant of shape " + shape + " has " + values.length + " values");
    }
    return intern(Op.CONST, new Node[0], shape, null, values.clone());
  }

  public Node time() {
    return intern(Op.TIME, new Node[0], Shape.SCALAR, null, null);
  }

  /** The slice {@code [offset, offset + shape.size())} of input vector {@code arg}. */
  public Node input(int arg, int offset, Shape shape) {
    if (arg < 0 || offset < 0) throw new IllegalArgumentException("bad input " + arg + "@" + offset);
    return intern(Op.INPUT, new Node[0], shape, new int[] {arg, offset}, null);
  }

  // ---- element-wise --------------------------------------------------------------------------

  public Node neg(Node x) {
    return unary(Op.NEG, x);
  }

  public Node add(Node a, Node b) {
    return binary(Op.ADD, a, b);
  }

  public Node sub(Node a, Node b) {
    return binary(Op.SUB, a, b);
  }

  public Node mul(Node a, Node b) {
    return binary(Op.MUL, a, b);
  }

  public Node div(Node a, Node b) {
    return binary(Op.DIV, a, b);
  }

  public Node unary(Op op, Node x) {
    if (op.kind != Op.Kind.UNARY) throw new IllegalArgumentException(op + " is not unary");
    // -(-x) -> x
    if (op == Op.NEG && x.op == Op.NEG) return x.arg(0);
    return fold(op, new Node[] {x}, x.shape, null);
  }

  public Node binary(Op op, Node a, Node b) {
    if (op.kind != Op.Kind.BINARY) throw new IllegalArgumentException(op + " is not binary");
    Shape shape = broadcast(op, a.shape, b.shape);
    Node s = simplifyBinary(op, a, b, shape);
    if (s != null) return s;
    return fold(op, new Node[] {a, b}, shape, null);
  }

  public Node select(Node c, Node a, Node b) {
    Shape shape = broadcast(Op.SELECT, broadcast(Op.SELECT, c.shape, a.shape), b.shape);
    // select(c, a, a) -> a
    if (a == b && a.shape.equals(shape)) return a;
    // select(const c, a, b) -> a or b, when c is one scalar
    if (c.isConst() && c.shape.isScalar()) {
      Node pick = c.valueAt(0) != 0.0 ? a : b;
      if (pick.shape.equals(shape)) return pick;
    }
    return fold(Op.SELECT, new Node[] {c, a, b}, shape, null);
  }

  // ---- tensor --------------------------------------------------------------------------------

  public Node matmul(Node a, Node b) {
    Shape shape = Kernels.MatmulDims.resultShape(a.shape, b.shape);
    if (shape == null) {
      throw new IllegalArgumentException("matmul of " + a.shape + " and " + b.shape);
    }
    return fold(Op.MATMUL, new Node[] {a, b}, shape, null);
  }

  public Node sum(Node x) {
    // sum(scalar) -> scalar
    if (x.shape.isScalar()) return x;
    return fold(Op.SUM, new Node[] {x}, Shape.SCALAR, null);
  }

  /** Element {@code flat} (row-major, 0-based) of x, as a scalar. */
  public Node element(Node x, int flat) {
    return gather(x, new int[] {flat}, Shape.SCALAR);
  }

  public Node gather(Node x, int[] idx, Shape shape) {
    if (idx.length != shape.size()) throw new IllegalArgumentException("gather size mismatch");
    for (int i : idx) {
      if (i < 0 || i >= x.size()) throw new IllegalArgumentException("gather index " + i + " of " + x.shape);
    }
    // gather of every element in order -> x
    if (shape.equals(x.shape) && isIdentity(idx)) return x;
    // element of a scalar -> the scalar
    if (x.shape.isScalar() && shape.isScalar()) return x;
    // gather(gather(y, j), i) -> gather(y, j[i])
    if (x.op == Op.GATHER) {
      int[] composed = new int[idx.length];
      for (int i = 0; i < idx.length; i++) composed[i] = x.intAt(idx[i]);
      return gather(x.arg(0), composed, shape);
    }
    // one element of pack(a, b, ...) -> that element of the part that holds it
    if (x.op == Op.PACK && shape.isScalar()) {
      int k = idx[0];
      for (Node part : x.args()) {
        if (k < part.size()) return element(part, k);
        k -= part.size();
      }
    }
    // an element of an element-wise op -> the op of the elements (keeps scalar code scalar)
    if (shape.isScalar() && x.op.elementwise()) {
      Node[] parts = new Node[x.arity()];
      for (int i = 0; i < parts.length; i++) {
        Node ai = x.arg(i);
        parts[i] = ai.shape.isScalar() ? ai : element(ai, idx[0]);
      }
      return rebuild(x.op, parts);
    }
    return fold(Op.GATHER, new Node[] {x}, shape, idx.clone());
  }

  public Node pack(List<Node> parts, Shape shape) {
    int total = 0;
    for (Node p : parts) total += p.size();
    if (total != shape.size()) {
      throw new IllegalArgumentException("pack of " + total + " elements into " + shape);
    }
    // pack(x) with x of that shape -> x
    if (parts.size() == 1 && parts.get(0).shape.equals(shape)) return parts.get(0);
    // pack(x[0], x[1], ..., x[n-1]) -> x, when the parts are all elements of x in order
    Node whole = wholeOf(parts, shape);
    if (whole != null) return whole;
    return fold(Op.PACK, parts.toArray(new Node[0]), shape, null);
  }

  /**
   * Builds {@code op} over new operands with the given extra attributes: the entry point for
   * transforms that copy a node with replaced arguments.
   */
  public Node rebuild(Node like, List<Node> args) {
    Node[] a = args.toArray(new Node[0]);
    return switch (like.op.kind) {
      case LEAF -> like.op == Op.CONST
          ? constant(like.shape, like.values())
          : like.op == Op.TIME ? time() : input(like.intAt(0), like.intAt(1), like.shape);
      case UNARY, BINARY, TERNARY -> rebuild(like.op, a);
      case TENSOR -> switch (like.op) {
        case MATMUL -> matmul(a[0], a[1]);
        case SUM -> sum(a[0]);
        case GATHER -> gather(a[0], like.ints(), like.shape);
        case PACK -> pack(args, like.shape);
        default -> throw new IllegalStateException();
      };
    };
  }

  private Node rebuild(Op op, Node[] a) {
    return switch (op.kind) {
      case UNARY -> unary(op, a[0]);
      case BINARY -> binary(op, a[0], a[1]);
      case TERNARY -> select(a[0], a[1], a[2]);
      default -> throw new IllegalStateException(op.toString());
    };
  }

  // ---- rules ---------------------------------------------------------------------------------

  private Node simplifyBinary(Op op, Node a, Node b, Shape shape) {
    Node r =
        switch (op) {
          // x + 0 -> x ; 0 + x -> x
          case ADD -> b.isConstValue(0.0) ? a : a.isConstValue(0.0) ? b : null;
          // x - 0 -> x ; 0 - x -> -x ; x - x -> 0
          case SUB -> b.isConstValue(0.0)
              ? a
              : a.isConstValue(0.0) && a.shape.isScalar()
                  ? unary(Op.NEG, b)
                  : a == b ? zeros(shape) : null;
          // x * 1 -> x ; 1 * x -> x ; x * 0 -> 0 ; 0 * x -> 0 ; x * -1 -> -x (finite-valued models:
          // the symbolic derivatives produce many zeros, and 0 * f(x) is 0 wherever f(x) is finite)
          case MUL -> b.isConstValue(1.0)
              ? a
              : a.isConstValue(1.0)
                  ? b
                  : a.isConstValue(0.0) || b.isConstValue(0.0)
                      ? zeros(shape)
                      : b.isConstValue(-1.0) ? unary(Op.NEG, a)
                      : a.isConstValue(-1.0) ? unary(Op.NEG, b) : null;
          // x / 1 -> x ; 0 / x -> 0
          case DIV -> b.isConstValue(1.0) ? a : a.isConstValue(0.0) && !b.isConst() ? zeros(shape) : null;
          // x ^ 1 -> x ; x ^ 0 -> 1
          case POW -> b.isConstValue(1.0) ? a : b.isConstValue(0.0) ? ones(shape) : null;
          default -> null;
        };
    if (r == null) return null;
    if (r.shape.equals(shape)) return r;
    // the surviving operand is a scalar but the result is a tensor: broadcast it explicitly
    if (r.shape.isScalar()) {
      Node[] copies = new Node[shape.size()];
      Arrays.fill(copies, r);
      return r.isConst() ? constant(shape, filled(shape.size(), r.valueAt(0))) : pack(List.of(copies), shape);
    }
    return null;
  }

  private Node zeros(Shape s) {
    return s.isScalar() ? constant(0.0) : constant(s, new double[s.size()]);
  }

  private Node ones(Shape s) {
    return s.isScalar() ? constant(1.0) : constant(s, filled(s.size(), 1.0));
  }

  private static double[] filled(int n, double v) {
    double[] d = new double[n];
    Arrays.fill(d, v);
    return d;
  }

  private static boolean isIdentity(int[] idx) {
    for (int i = 0; i < idx.length; i++) if (idx[i] != i) return false;
    return true;
  }

  private Node wholeOf(List<Node> parts, Shape shape) {
    Node src = null;
    int k = 0;
    for (Node p : parts) {
      if (p.op != Op.GATHER) return null;
      Node s = p.arg(0);
      if (src == null) src = s;
      if (s != src) return null;
      for (int i = 0; i < p.intCount(); i++) {
        if (p.intAt(i) != k++) return null;
      }
    }
    return src != null && src.shape.equals(shape) && k == src.size() ? src : null;
  }

  private static Shape broadcast(Op op, Shape a, Shape b) {
    if (a.equals(b) || b.isScalar()) return a;
    if (a.isScalar()) return b;
    throw new IllegalArgumentException(op.text + " of shapes " + a + " and " + b);
  }

  /** Interns, folding to a constant when every operand is constant. */
  private Node fold(Op op, Node[] args, Shape shape, int[] ints) {
    boolean allConst = args.length > 0;
    for (Node a : args) allConst &= a.isConst();
    if (!allConst) return intern(op, args, shape, ints, null);
    Node probe = new Node(op, args, shape, ints, null, -1);
    double[][] vals = new double[args.length][];
    for (int i = 0; i < args.length; i++) vals[i] = args[i].values();
    double[] out = new double[shape.size()];
    Kernels.apply(probe, vals, out);
    return shape.isScalar() ? constant(out[0]) : constant(shape, out);
  }

  private Node lookup(Node.Key key) {
    Node n = parent == null ? null : parent.lookup(key);
    return n != null ? n : interned.get(key);
  }

  private Node intern(Op op, Node[] args, Shape shape, int[] ints, double[] values) {
    Node.Key key = Node.Key.of(op, args, shape, ints, values);
    Node n = lookup(key);
    if (n == null) {
      if (frozen) {
        throw new IllegalStateException("the graph of a compiled model is read-only (it may be shared by several "
            + "threads); build derived functions in a fork(): " + op.text + " of shape " + shape);
      }
      n = new Node(op, args, shape, ints, values, size());
      interned.put(key, n);
      nodes.add(n);
    }
    return n;
  }
}
