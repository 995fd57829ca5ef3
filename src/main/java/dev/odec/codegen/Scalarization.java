package dev.odec.codegen;

import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.List;

/**
 * How the code-generating backends (JVM bytecode, C) lay out a function's values: a computed node
 * of at most {@link #UNROLL} elements (every SUM, a MATMUL with a small result) is unrolled into
 * one scalar per element, kept in locals or registers; a larger one lives in an array and is
 * computed by loops; and a node that a loop indexes with its counter must be addressable in an
 * array even when it is small.
 */
public final class Scalarization {
  private Scalarization() {}

  /** Nodes with at most this many elements are unrolled into scalar code. */
  public static final int UNROLL = 16;
  /** Matrix products with at most this many multiply-adds (and a small result) are unrolled. */
  public static final int UNROLL_MATMUL = 64;

  /** Whether a MATMUL is written out element by element. */
  public static boolean unrolledMatmul(Node n) {
    Kernels.MatmulDims d = Kernels.MatmulDims.of(n.arg(0).shape, n.arg(1).shape);
    return n.size() <= UNROLL && (long) d.m() * d.n() * d.k() <= UNROLL_MATMUL;
  }

  /** Whether a node is computed into an array by loops because it is large. */
  public static boolean large(Node n) {
    return switch (n.op.kind) {
      case LEAF -> false;
      case UNARY, BINARY, TERNARY -> n.size() > UNROLL;
      case TENSOR -> n.op != Op.SUM && n.size() > UNROLL;
    };
  }

  /**
   * For each node of the schedule: whether a loop indexes it with its counter (the operand of a
   * looped SUM, GATHER, MATMUL, PACK or element-wise op), so that it must live in an array.
   *
   * @param posOf schedule position by node id
   * @param large {@link #large} of each scheduled node
   */
  public static boolean[] indexedByLoops(List<Node> sched, int[] posOf, boolean[] large) {
    boolean[] needs = new boolean[sched.size()];
    for (int i = 0; i < sched.size(); i++) {
      Node nd = sched.get(i);
      switch (nd.op) {
        case SUM -> {
          if (nd.arg(0).size() > UNROLL) needs[posOf[nd.arg(0).id]] = true;
        }
        case GATHER -> {
          if (large[i]) needs[posOf[nd.arg(0).id]] = true;
        }
        case MATMUL -> {
          if (!unrolledMatmul(nd)) {
            needs[posOf[nd.arg(0).id]] = true;
            needs[posOf[nd.arg(1).id]] = true;
          }
        }
        case PACK -> {
          if (large[i]) for (Node a : nd.args()) if (a.size() > UNROLL) needs[posOf[a.id]] = true;
        }
        default -> {
          if (nd.op.elementwise() && large[i]) {
            for (Node a : nd.args()) if (!a.shape.isScalar()) needs[posOf[a.id]] = true;
          }
        }
      }
    }
    return needs;
  }
}
