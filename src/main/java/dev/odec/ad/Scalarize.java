package dev.odec.ad;

import dev.odec.ir.Graph;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites tensor expressions as scalar ones: the elements of a node (row-major) as scalar nodes
 * that use no tensor op. INPUT slices become scalar INPUTs, element-wise ops apply to elements
 * (a scalar operand broadcast), {@code MATMUL} element {@code [i,j]} becomes
 * {@code ((0 + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + ...} and {@code SUM} {@code ((0 + x[0]) + x[1]) + ...}
 * (the order of {@link Kernels}), GATHER picks elements and PACK concatenates. Each element of the
 * result then depends only on what it really reads, which is what makes per-element derivatives
 * (the {@link Jacobian}) sparse.
 */
public final class Scalarize {
  private final Graph g;
  private final Map<Node, Node[]> memo = new HashMap<>();

  Scalarize(Graph g) {
    this.g = g;
  }

  /**
   * The elements of n (row-major) as scalar nodes, built without tensor ops (a MATMUL element
   * becomes its sum of products in Kernels' order, etc.).
   */
  public static List<Node> elements(Graph g, Node n) {
    return List.of(new Scalarize(g).of(n));
  }

  /** The elements of n, reusing the elements of nodes already scalarised by this instance. */
  Node[] of(Node root) {
    Node[] have = memo.get(root);
    if (have != null) return have;
    List<Node> order = Reverse.subDag(List.of(root));
    for (Node n : order) {
      if (!memo.containsKey(n)) memo.put(n, build(n));
    }
    return memo.get(root);
  }

  private Node[] build(Node n) {
    int size = n.size();
    Node[] out = new Node[size];
    switch (n.op.kind) {
      case LEAF -> {
        switch (n.op) {
          case CONST -> {
            for (int i = 0; i < size; i++) out[i] = g.constant(n.valueAt(i));
          }
          case TIME -> out[0] = n;
          case INPUT -> {
            for (int i = 0; i < size; i++) out[i] = g.input(n.intAt(0), n.intAt(1) + i, Shape.SCALAR);
          }
          default -> throw new IllegalStateException(n.op.toString());
        }
      }
      case UNARY, BINARY, TERNARY -> {
        Node[][] args = new Node[n.arity()][];
        for (int a = 0; a < args.length; a++) args[a] = memo.get(n.arg(a));
        Node[] parts = new Node[args.length];
        for (int i = 0; i < size; i++) {
          for (int a = 0; a < args.length; a++) parts[a] = args[a].length == 1 ? args[a][0] : args[a][i];
          out[i] = g.rebuild(n, Arrays.asList(parts));
        }
      }
      case TENSOR -> {
        switch (n.op) {
          case MATMUL -> {
            Node[] a = memo.get(n.arg(0));
            Node[] b = memo.get(n.arg(1));
            Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
            for (int i = 0; i < d.m(); i++) {
              for (int j = 0; j < d.n(); j++) {
                Node acc = g.constant(0.0);
                for (int l = 0; l < d.k(); l++) acc = g.add(acc, g.mul(a[i * d.k() + l], b[l * d.n() + j]));
                out[i * d.n() + j] = acc;
              }
            }
          }
          case SUM -> {
            Node acc = g.constant(0.0);
            for (Node x : memo.get(n.arg(0))) acc = g.add(acc, x);
            out[0] = acc;
          }
          case GATHER -> {
            Node[] x = memo.get(n.arg(0));
            for (int i = 0; i < size; i++) out[i] = x[n.intAt(i)];
          }
          case PACK -> {
            List<Node> all = new ArrayList<>(size);
            for (Node part : n.args()) all.addAll(Arrays.asList(memo.get(part)));
            all.toArray(out);
          }
          default -> throw new IllegalStateException(n.op.toString());
        }
      }
    }
    return out;
  }
}
