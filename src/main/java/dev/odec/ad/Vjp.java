package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation as a graph transform (vector–Jacobian products). For outputs
 * {@code f_i(t, y, p)} and cotangents {@code u_i} of the same shapes it builds, in the same
 * {@link Graph}, nodes for
 *
 * <pre>
 *   dy = Σ_i u_iᵀ ∂f_i/∂y   (real[ySize])
 *   dp = Σ_i u_iᵀ ∂f_i/∂p   (real[pSize])
 *   dt = Σ_i u_iᵀ ∂f_i/∂t   (real)
 * </pre>
 *
 * <p>The cotangents are ordinary nodes (typically INPUT slices of an augmented state, as in the
 * adjoint system {@code λ' = -λᵀ ∂f/∂y}); they are treated as constants, not differentiated. Each
 * op has one rule (see {@code Reverse}): element-wise rules multiply the adjoint by the local
 * derivative (piecewise ones select it), a scalar operand of a tensor result receives the SUM of
 * its contributions, MATMUL, SUM, GATHER (a scatter-add built from GATHERs) and PACK have their
 * transposes. Only nodes depending on an INPUT or on TIME are visited; contributions to a node are
 * summed before its rule runs, and the Graph's interning keeps the result compact.
 */
public final class Vjp {
  private Vjp() {}

  /**
   * The three products.
   *
   * @param dy {@code Σ u_iᵀ ∂f_i/∂y}, always of shape {@code real[ySize]}
   * @param dp {@code Σ u_iᵀ ∂f_i/∂p}, of shape {@code real[pSize]}; null when pSize == 0
   * @param dt {@code Σ u_iᵀ ∂f_i/∂t}, a scalar
   */
  public record Result(Node dy, Node dp, Node dt) {}

  /**
   * Reverse mode: for outputs f_i and cotangents u_i (nodes of the same shapes, built in g;
   * typically INPUT nodes of an augmented vector), returns nodes for {@code Σ u_iᵀ ∂f_i/∂y},
   * {@code Σ u_iᵀ ∂f_i/∂p} and {@code Σ u_iᵀ ∂f_i/∂t}.
   *
   * @param ySize the length of y, at least 1
   * @param pSize the length of p, 0 or more
   */
  public static Result of(Graph g, List<Node> outputs, List<Node> cotangents, int ySize, int pSize) {
    if (ySize < 1 || pSize < 0) throw new IllegalArgumentException("ySize " + ySize + ", pSize " + pSize);
    Map<Node, Node> adj =
        Reverse.run(g, outputs, cotangents, n -> n.op == Op.INPUT || n.op == Op.TIME);
    List<Slice> ys = new ArrayList<>();
    List<Slice> ps = new ArrayList<>();
    Node dt = g.constant(0.0);
    for (Map.Entry<Node, Node> e : adj.entrySet()) {
      Node n = e.getKey();
      if (n.op == Op.TIME) {
        dt = e.getValue();
      } else {
        Slice s = new Slice(n.intAt(1), n.size(), e.getValue());
        if (n.intAt(0) == 0) ys.add(s);
        else if (n.intAt(0) == 1) ps.add(s);
        else throw new IllegalArgumentException("input of unknown vector " + n.intAt(0));
      }
    }
    Node dy = assemble(g, ys, ySize, "y");
    Node dp = pSize == 0 ? null : assemble(g, ps, pSize, "p");
    if (pSize == 0 && !ps.isEmpty()) throw new IllegalArgumentException("the outputs read p, but pSize is 0");
    return new Result(dy, dp, dt);
  }

  /** The adjoint of input slice {@code [offset, offset + size)}, of the INPUT node's shape. */
  private record Slice(int offset, int size, Node adj) {}

  /**
   * The vector of length n holding each slice's adjoint at its positions: a PACK of zero gaps,
   * whole slice adjoints (or contiguous pieces of them), and element sums where slices overlap.
   */
  private static Node assemble(Graph g, List<Slice> slices, int n, String what) {
    int[] cover = new int[n];
    Slice[] only = new Slice[n];
    for (Slice s : slices) {
      if (s.offset + s.size > n) {
        throw new IllegalArgumentException("input " + what + "[" + s.offset + ":" + (s.offset + s.size) + "] outside real[" + n + "]");
      }
      for (int k = s.offset; k < s.offset + s.size; k++) {
        cover[k]++;
        only[k] = s;
      }
    }
    List<Node> parts = new ArrayList<>();
    int k = 0;
    while (k < n) {
      int start = k;
      if (cover[k] == 0) {
        while (k < n && cover[k] == 0) k++;
        parts.add(Derivs.zeros(g, Shape.vector(k - start)));
      } else if (cover[k] == 1) {
        Slice s = only[k];
        while (k < n && cover[k] == 1 && only[k] == s) k++;
        if (start == s.offset && k == s.offset + s.size) {
          parts.add(s.adj);
        } else {
          int[] idx = new int[k - start];
          for (int i = 0; i < idx.length; i++) idx[i] = start - s.offset + i;
          parts.add(g.gather(s.adj, idx, Shape.vector(idx.length)));
        }
      } else {
        Node sum = null;
        for (Slice s : slices) {
          if (s.offset <= k && k < s.offset + s.size) {
            Node e = g.element(s.adj, k - s.offset);
            sum = sum == null ? e : g.add(sum, e);
          }
        }
        parts.add(sum);
        k++;
      }
    }
    return g.pack(parts, Shape.vector(n));
  }
}
