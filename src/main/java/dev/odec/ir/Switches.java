package dev.odec.ir;

import dev.odec.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the switching conditions of the dynamics fixed between switches: the transform that
 * makes a discontinuous right-hand side piecewise smooth (LANGUAGE.md §9, "discontinuities").
 *
 * <p>Every comparison, {@code abs}, {@code relu}, {@code min}, {@code max}, {@code sign},
 * {@code floor} and {@code ceil} whose operands depend on the time or the states is a switch.
 * The transform replaces it with a <em>mode</em>: an extra entry of the parameter vector p (after
 * the params and consts) that the solver holds constant while it integrates and updates only
 * where the switch really happens. {@code a < b} becomes the mode m ∈ {0, 1}; {@code abs(x)}
 * becomes {@code select(m, x, -x)} with m = (x ≥ 0); {@code relu(x)} {@code select(m, x, 0)} with
 * m = (x > 0); {@code min(a, b)} {@code select(m, a, b)} with m = (a ≤ b), {@code max} with
 * m = (a ≥ b); {@code sign(x)} the difference of two modes (x > 0) − (x < 0); {@code floor(x)} and
 * {@code ceil(x)} an integer-valued mode. Between switches the right-hand side is then smooth,
 * so no step straddles a switch with its error estimate spoilt, and the solution does not depend
 * on where steps happened to fall (AMICI treats Heaviside functions the same way).
 *
 * <p>For each mode component the transform keeps the <em>raw</em> value (the original expression:
 * what the mode must equal at a point of the solution) and a <em>root</em> expression whose zero
 * set is the switching surface (a − b for comparisons, min and max; the argument for the others).
 * Solvers locate a switch where the raw value stops agreeing with the held mode; gradients use
 * the root's derivatives for the sensitivity of the switching time (see {@code sens}). A switch
 * whose root is affine in t and independent of the states ({@code t < t_lock},
 * {@code 2*t > t_on + 1}) is at a known time −r(0)/r', which solvers step to exactly. Equality
 * tests ({@code ==}, {@code !=}) are true at instants only and do not switch.
 */
public final class Switches {
  /** How a mode's value is produced by its raw expression. */
  public enum Kind {
    /** 0 or 1: a comparison, or the branch of abs/relu/min/max/sign. */
    BINARY,
    /** An integer: floor or ceil. */
    INTEGER
  }

  /**
   * One scalar mode.
   *
   * @param index the mode's position among the modes (its p entry is {@code modeOffset + index})
   * @param raw the value the mode must have at (t, y, p)
   * @param root zero on the switching surface
   * @param slope ∂root/∂t when the root is affine in t and independent of the states (a switch at a
   *     known time), else null
   * @param span where the switch is written
   * @param what the operation, for messages ("comparison", "abs", ...)
   */
  public record Mode(int index, Kind kind, Node raw, Node root, Node slope, Span span, String what) {
    public boolean knownTime() {
      return slope != null;
    }
  }

  /** The rewritten outputs and the modes they read. */
  public record Frozen(List<Node> outputs, List<Mode> modes) {}

  private final Graph g;
  private final int modeOffset;
  private final Map<Node, Node> rebuilt = new HashMap<>();
  private final Map<Node, Boolean> dynamic = new HashMap<>();
  private final List<Mode> modes = new ArrayList<>();
  private final Map<Node, Span> spans;

  private Switches(Graph g, int modeOffset, Map<Node, Span> spans) {
    this.g = g;
    this.modeOffset = modeOffset;
    this.spans = spans;
  }

  /**
   * Rewrites {@code outputs} with every switch replaced by a mode read from p at
   * {@code modeOffset} onwards (one p entry per scalar mode, in the order of the returned modes).
   *
   * @param spans source positions of switch nodes, where known (for messages)
   */
  public static Frozen freeze(Graph g, List<Node> outputs, int modeOffset, Map<Node, Span> spans) {
    Switches s = new Switches(g, modeOffset, spans);
    List<Node> out = new ArrayList<>();
    for (Node o : outputs) out.add(s.rewrite(o));
    return new Frozen(out, List.copyOf(s.modes));
  }

  /**
   * A binary mode for a condition that the dynamics do not read (the trigger of a {@code when}
   * event): raw = the condition, root = a − b. The mode gets the next index after {@code first}
   * modes.
   */
  public static Mode trigger(Graph g, int index, Node condition, Span span) {
    Node root = g.sub(condition.arg(0), condition.arg(1));
    return new Mode(index, Kind.BINARY, condition, root, slope(g, root), span, "when condition");
  }

  private Node rewrite(Node root) {
    for (Node n : subDag(root)) {
      if (rebuilt.containsKey(n)) continue;
      rebuilt.put(n, build(n));
    }
    return rebuilt.get(root);
  }

  private Node build(Node n) {
    List<Node> args = new ArrayList<>(n.arity());
    for (Node a : n.args()) args.add(rebuilt.get(a));
    if (!isDynamic(n)) return n;
    Span span = spans.get(n);
    switch (n.op) {
      case LT, LE, GT, GE -> {
        return binaryModes(n, n, g.sub(n.arg(0), n.arg(1)), span, "comparison");
      }
      case ABS -> {
        Node m = binaryModes(n, g.binary(Op.GE, n.arg(0), zero()), n.arg(0), span, "abs");
        return g.select(m, args.get(0), g.neg(args.get(0)));
      }
      case RELU -> {
        Node m = binaryModes(n, g.binary(Op.GT, n.arg(0), zero()), n.arg(0), span, "relu");
        return g.select(m, args.get(0), zerosLike(n));
      }
      case MIN, MAX -> {
        Node cond = g.binary(n.op == Op.MIN ? Op.LE : Op.GE, n.arg(0), n.arg(1));
        Node m = binaryModes(n, cond, g.sub(n.arg(0), n.arg(1)), span, n.op.text);
        return g.select(m, args.get(0), args.get(1));
      }
      case SIGN -> {
        Node pos = binaryModes(n, g.binary(Op.GT, n.arg(0), zero()), n.arg(0), span, "sign");
        Node neg = binaryModes(n, g.binary(Op.LT, n.arg(0), zero()), n.arg(0), span, "sign");
        return g.sub(pos, neg);
      }
      case FLOOR, CEIL -> {
        return modes(n, n, n.arg(0), Kind.INTEGER, span, n.op.text);
      }
      default -> {
        return g.rebuild(n, args);
      }
    }
  }

  private Node binaryModes(Node like, Node raw, Node root, Span span, String what) {
    return modes(like, raw, root, Kind.BINARY, span, what);
  }

  /** A mode input shaped like {@code like}, one scalar mode per element. */
  private Node modes(Node like, Node raw, Node root, Kind kind, Span span, String what) {
    int first = modeOffset + modes.size();
    int size = like.size();
    for (int i = 0; i < size; i++) {
      Node r = like.shape.isScalar() ? raw : elementOf(raw, i, like.shape);
      Node z = like.shape.isScalar() || root.shape.isScalar() ? root : elementOf(root, i, like.shape);
      modes.add(new Mode(modes.size(), kind, r, z, kind == Kind.BINARY ? slope(g, z) : null, span, what));
    }
    return g.input(1, first, like.shape);
  }

  private Node elementOf(Node x, int i, Shape shape) {
    return x.shape.isScalar() ? x : g.element(x, i);
  }

  private Node zero() {
    return g.constant(0.0);
  }

  private Node zerosLike(Node n) {
    return n.shape.isScalar() ? zero() : g.constant(n.shape, new double[n.size()]);
  }

  /** Whether n depends on the time or the states. */
  private boolean isDynamic(Node n) {
    Boolean known = dynamic.get(n);
    if (known != null) return known;
    boolean d = switch (n.op) {
      case TIME -> true;
      case INPUT -> n.intAt(0) == 0;
      case CONST -> false;
      default -> {
        boolean any = false;
        for (Node a : n.args()) any |= isDynamic(a);
        yield any;
      }
    };
    dynamic.put(n, d);
    return d;
  }

  /**
   * ∂r/∂t as a node when r is affine in t and reads no state (then the switch is at a known
   * time), else null. Built structurally: sums, differences, negations, and products or quotients
   * by factors free of t.
   */
  static Node slope(Graph g, Node r) {
    if (r.op == Op.TIME) return g.constant(1.0);
    if (!r.shape.isScalar()) return null;
    if (!readsTime(r)) return readsState(r) ? null : g.constant(0.0);
    return switch (r.op) {
      case NEG -> neg(g, slope(g, r.arg(0)));
      case ADD, SUB -> {
        Node a = slope(g, r.arg(0));
        Node b = slope(g, r.arg(1));
        yield a == null || b == null ? null : r.op == Op.ADD ? g.add(a, b) : g.sub(a, b);
      }
      case MUL -> {
        boolean leftFree = !readsTime(r.arg(0)) && !readsState(r.arg(0));
        boolean rightFree = !readsTime(r.arg(1)) && !readsState(r.arg(1));
        if (leftFree) {
          Node b = slope(g, r.arg(1));
          yield b == null ? null : g.mul(r.arg(0), b);
        }
        if (rightFree) {
          Node a = slope(g, r.arg(0));
          yield a == null ? null : g.mul(a, r.arg(1));
        }
        yield null;
      }
      case DIV -> {
        if (readsTime(r.arg(1)) || readsState(r.arg(1))) yield null;
        Node a = slope(g, r.arg(0));
        yield a == null ? null : g.div(a, r.arg(1));
      }
      default -> null;
    };
  }

  /** Whether n depends on the time or the states (a condition that can switch during a solve). */
  public static boolean dependsOnTimeOrState(Node n) {
    return readsTime(n) || readsState(n);
  }

  private static Node neg(Graph g, Node n) {
    return n == null ? null : g.neg(n);
  }

  private static boolean readsTime(Node n) {
    for (Node x : subDag(n)) if (x.op == Op.TIME) return true;
    return false;
  }

  private static boolean readsState(Node n) {
    for (Node x : subDag(n)) if (x.op == Op.INPUT && x.intAt(0) == 0) return true;
    return false;
  }

  /** The nodes n depends on, itself included, arguments before users. */
  static List<Node> subDag(Node n) {
    return new IrFunction("sub", List.of(n), 1, 0).schedule();
  }
}
