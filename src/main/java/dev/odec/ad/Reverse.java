package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The reverse sweep shared by {@link Vjp} and {@link Jacobian}: given outputs {@code f_i} and
 * cotangents {@code u_i}, the adjoint {@code ā(n) = Σ_i u_i^T ∂f_i/∂n} of every source leaf (the
 * nodes accepted by {@code isSource}) that the outputs depend on.
 *
 * <p>Only the outputs' own sub-DAG is visited; only active nodes (those depending on a source)
 * receive adjoints; nodes are processed in decreasing id order (ids are topological), each node's
 * contributions summed before its rule runs.
 */
final class Reverse {
  private final Graph g;
  private final Map<Node, Node> adjoint = new HashMap<>();
  private final Set<Node> active = new HashSet<>();

  private Reverse(Graph g) {
    this.g = g;
  }

  /** The adjoints of the sources reached, keyed by source node (insertion order: decreasing id). */
  static Map<Node, Node> run(Graph g, List<Node> outputs, List<Node> cotangents, Predicate<Node> isSource) {
    if (outputs.size() != cotangents.size()) {
      throw new IllegalArgumentException(outputs.size() + " outputs but " + cotangents.size() + " cotangents");
    }
    Reverse r = new Reverse(g);
    List<Node> order = subDag(outputs);
    for (Node n : order) { // ascending id: arguments first
      boolean a = isSource.test(n);
      for (int i = 0; !a && i < n.arity(); i++) a = r.active.contains(n.arg(i));
      if (a) r.active.add(n);
    }
    for (int i = 0; i < outputs.size(); i++) {
      Node o = outputs.get(i);
      Node u = cotangents.get(i);
      if (!u.shape.equals(o.shape)) {
        throw new IllegalArgumentException("cotangent " + u.shape + " for output " + i + " of shape " + o.shape);
      }
      r.contribute(o, u);
    }
    Map<Node, Node> out = new LinkedHashMap<>();
    for (int k = order.size() - 1; k >= 0; k--) {
      Node n = order.get(k);
      Node adj = r.adjoint.get(n);
      if (adj == null) continue;
      if (isSource.test(n)) out.put(n, adj);
      r.propagate(n, adj);
    }
    return out;
  }

  /** The nodes the roots depend on, each once, in increasing id order. */
  static List<Node> subDag(List<Node> roots) {
    Set<Node> seen = new HashSet<>();
    List<Node> order = new ArrayList<>();
    ArrayList<Node> stack = new ArrayList<>();
    for (Node root : roots) {
      if (seen.add(root)) stack.add(root);
      while (!stack.isEmpty()) {
        Node n = stack.remove(stack.size() - 1);
        order.add(n);
        for (int i = 0; i < n.arity(); i++) {
          Node a = n.arg(i);
          if (seen.add(a)) stack.add(a);
        }
      }
    }
    order.sort((x, y) -> Integer.compare(x.id, y.id));
    return order;
  }

  /** Adds contribution c (already of x's shape) to x's adjoint, when x is active and c not zero. */
  private void contribute(Node x, Node c) {
    if (c == null || !active.contains(x) || c.isConstValue(0.0)) return;
    if (!c.shape.equals(x.shape)) c = Derivs.reduce(g, c, x.shape);
    adjoint.merge(x, c, g::add);
  }

  /** Sends node n's adjoint to its active operands: one rule per op. */
  private void propagate(Node n, Node adj) {
    switch (n.op) {
      case CONST, TIME, INPUT -> {}
      case NEG, EXP, LOG, LOG10, SQRT, ABS, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH,
          SIGMOID, SOFTPLUS, RELU, ERF -> contribute(n.arg(0), Derivs.unary(g, n, adj));
      case SIGN, FLOOR, CEIL, NOT -> {} // piecewise constant: zero derivative
      case ADD, SUB, MUL, DIV, ATAN2, MIN, MAX -> {
        if (active.contains(n.arg(0))) contribute(n.arg(0), Derivs.first(g, n, adj));
        if (active.contains(n.arg(1))) contribute(n.arg(1), Derivs.second(g, n, adj));
      }
      case POW -> {
        if (active.contains(n.arg(0))) contribute(n.arg(0), Derivs.first(g, n, adj));
        // the exponent's term only when the exponent varies: log(a) of a negative base is NaN
        if (active.contains(n.arg(1))) contribute(n.arg(1), Derivs.second(g, n, adj));
      }
      case LT, LE, GT, GE, EQ, NE, AND, OR -> {} // 0/1 valued: zero derivative
      case SELECT -> {
        Node zero = g.constant(0.0);
        if (active.contains(n.arg(1))) contribute(n.arg(1), g.select(n.arg(0), adj, zero));
        if (active.contains(n.arg(2))) contribute(n.arg(2), g.select(n.arg(0), zero, adj));
      }
      case MATMUL -> matmul(n, adj);
      case SUM -> contribute(n.arg(0), Derivs.broadcast(g, adj, n.arg(0).shape));
      case GATHER -> {
        if (active.contains(n.arg(0))) contribute(n.arg(0), scatter(g, adj, n.ints(), n.arg(0).shape));
      }
      case PACK -> {
        int k = 0;
        for (Node part : n.args()) {
          if (active.contains(part)) {
            int[] idx = new int[part.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = k + i;
            contribute(part, g.gather(adj, idx, part.shape));
          }
          k += part.size();
        }
      }
    }
  }

  /**
   * C = A @ B: Ā = C̄ @ Bᵀ and B̄ = Aᵀ @ C̄ for two matrices; for a matrix times a vector
   * Ā = C̄ ⊗ b (outer product) and b̄ = C̄ @ A; for a vector times a matrix ā = B @ C̄ and B̄ = a ⊗ C̄.
   */
  private void matmul(Node n, Node adj) {
    Node a = n.arg(0);
    Node b = n.arg(1);
    Kernels.MatmulDims d = Kernels.MatmulDims.of(a.shape, b.shape);
    boolean needA = active.contains(a);
    boolean needB = active.contains(b);
    if (a.shape.rank() == 2 && b.shape.rank() == 2) {
      if (needA) contribute(a, g.matmul(adj, Derivs.transpose(g, b)));
      if (needB) contribute(b, g.matmul(Derivs.transpose(g, a), adj));
    } else if (a.shape.rank() == 2) { // [m,k] @ [k] -> [m]
      if (needA) {
        contribute(a, g.matmul(Derivs.reshape(g, adj, Shape.matrix(d.m(), 1)), Derivs.reshape(g, b, Shape.matrix(1, d.k()))));
      }
      if (needB) contribute(b, g.matmul(adj, a));
    } else { // [k] @ [k,n] -> [n]
      if (needA) contribute(a, g.matmul(b, adj));
      if (needB) {
        contribute(b, g.matmul(Derivs.reshape(g, a, Shape.matrix(d.k(), 1)), Derivs.reshape(g, adj, Shape.matrix(1, d.n()))));
      }
    }
  }

  /**
   * The adjoint of a GATHER's source: {@code x̄[j] = Σ_{i : idx[i] = j} ū[i]}. There is no scatter
   * op, so this is a GATHER from {@code PACK(ū, 0)} through an inverse index map (positions never
   * gathered read the appended zero); where indices repeat, one such gather per repetition level,
   * summed. With many repetitions of one index (a broadcast), each element is instead the SUM of
   * a GATHER of the positions that read it.
   */
  static Node scatter(Graph g, Node adj, int[] idx, Shape target) {
    int size = target.size();
    int[] count = new int[size];
    int levels = 0;
    for (int j : idx) levels = Math.max(levels, ++count[j]);
    int[][] positions = new int[size][];
    for (int j = 0; j < size; j++) positions[j] = new int[count[j]];
    int[] fill = new int[size];
    for (int i = 0; i < idx.length; i++) positions[idx[i]][fill[idx[i]]++] = i;
    if (levels <= 2) {
      Node total = null;
      Node padded = null;
      for (int l = 0; l < levels; l++) {
        int[] map = new int[size];
        boolean complete = true;
        for (int j = 0; j < size; j++) {
          if (l < count[j]) map[j] = positions[j][l];
          else {
            map[j] = idx.length; // the appended zero
            complete = false;
          }
        }
        Node layer;
        if (complete) {
          layer = g.gather(adj, map, target);
        } else {
          if (padded == null) {
            padded = g.pack(List.of(adj, g.constant(0.0)), Shape.vector(idx.length + 1));
          }
          layer = g.gather(padded, map, target);
        }
        total = total == null ? layer : g.add(total, layer);
      }
      return total == null ? Derivs.zeros(g, target) : total;
    }
    List<Node> parts = new ArrayList<>(size);
    for (int j = 0; j < size; j++) {
      parts.add(switch (count[j]) {
        case 0 -> g.constant(0.0);
        case 1 -> g.element(adj, positions[j][0]);
        default -> g.sum(g.gather(adj, positions[j], Shape.vector(count[j])));
      });
    }
    return g.pack(parts, target);
  }
}
