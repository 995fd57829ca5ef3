package dev.odec.ir;

import java.util.Arrays;
import java.util.List;

/**
 * One immutable, interned node of the expression DAG. Nodes are created only by a {@link Graph},
 * which returns the existing node for a structurally equal request (hash-consing), so two nodes
 * are the same computation exactly when they are the same object.
 */
public final class Node {
  public final Op op;
  private final Node[] args;
  public final Shape shape;
  private final int[] ints;
  private final double[] values;
  /** Creation order within the graph: every argument has a smaller id than its user. */
  public final int id;

  Node(Op op, Node[] args, Shape shape, int[] ints, double[] values, int id) {
    this.op = op;
    this.args = args;
    this.shape = shape;
    this.ints = ints;
    this.values = values;
    this.id = id;
  }

  public int arity() {
    return args.length;
  }

  public Node arg(int i) {
    return args[i];
  }

  public List<Node> args() {
    return List.of(args);
  }

  /** Integer attributes: {@code {arg, offset}} for INPUT, source indices for GATHER. */
  public int[] ints() {
    return ints == null ? null : ints.clone();
  }

  public int intAt(int i) {
    return ints[i];
  }

  public int intCount() {
    return ints == null ? 0 : ints.length;
  }

  /** The values of a CONST node (row-major). */
  public double[] values() {
    return values == null ? null : values.clone();
  }

  public double valueAt(int i) {
    return values[i];
  }

  public int size() {
    return shape.size();
  }

  public boolean isConst() {
    return op == Op.CONST;
  }

  /** True for a CONST whose elements all equal {@code v} (bitwise for zero's sign ignored). */
  public boolean isConstValue(double v) {
    if (op != Op.CONST) return false;
    for (double x : values) {
      if (x != v) return false;
    }
    return true;
  }

  /** The key structural equality is decided on: op, argument identities, shape and attributes. */
  record Key(Op op, List<Integer> argIds, Shape shape, List<Integer> ints, List<Long> valueBits) {
    static Key of(Op op, Node[] args, Shape shape, int[] ints, double[] values) {
      Integer[] ids = new Integer[args.length];
      for (int i = 0; i < args.length; i++) ids[i] = args[i].id;
      List<Integer> in = ints == null ? List.of() : Arrays.stream(ints).boxed().toList();
      List<Long> vb =
          values == null
              ? List.of()
              : Arrays.stream(values).mapToObj(Double::doubleToLongBits).toList();
      return new Key(op, List.of(ids), shape, in, vb);
    }
  }

  @Override
  public String toString() {
    return "%" + id + " = " + op.text;
  }
}
