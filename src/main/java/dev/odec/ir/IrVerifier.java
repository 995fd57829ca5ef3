package dev.odec.ir;

import java.util.List;

/**
 * Checks the invariants every pass must keep: operands created before their users, element-wise
 * operands scalar or of the result's shape, tensor ops' shapes consistent, inputs inside their
 * vectors, and CONST values of the right length. On failure the message shows the offending node
 * and its operands.
 */
public final class IrVerifier {
  private IrVerifier() {}

  public static void verify(IrFunction f) {
    for (Node n : f.schedule()) {
      String problem = check(n, f);
      if (problem != null) {
        StringBuilder sb = new StringBuilder("IR verification failed in ").append(f.name())
            .append(": ").append(problem).append("\n  at ").append(IrPrinter.line(n));
        for (Node a : n.args()) sb.append("\n  operand ").append(IrPrinter.line(a));
        throw new IllegalStateException(sb.toString());
      }
    }
  }

  private static String check(Node n, IrFunction f) {
    for (Node a : n.args()) {
      if (a.id >= n.id) return "operand %" + a.id + " is not older than its user";
    }
    List<Node> args = n.args();
    return switch (n.op.kind) {
      case LEAF -> switch (n.op) {
        case CONST -> n.values() != null && n.values().length == n.size() ? null : "constant of wrong length";
        case TIME -> n.shape.isScalar() ? null : "t must be scalar";
        case INPUT -> {
          int limit = n.intAt(0) == 0 ? f.ySize() : n.intAt(0) == 1 ? f.pSize() : -1;
          yield n.intAt(1) + n.size() <= limit ? null : "input slice outside its vector";
        }
        default -> "unknown leaf";
      };
      case UNARY, BINARY, TERNARY -> {
        int want = n.op.kind == Op.Kind.UNARY ? 1 : n.op.kind == Op.Kind.BINARY ? 2 : 3;
        if (args.size() != want) yield "wrong operand count";
        for (Node a : args) {
          if (!a.shape.isScalar() && !a.shape.equals(n.shape)) yield "operand shape " + a.shape + " vs " + n.shape;
        }
        yield null;
      }
      case TENSOR -> switch (n.op) {
        case MATMUL -> n.shape.equals(Kernels.MatmulDims.resultShape(args.get(0).shape, args.get(1).shape))
            ? null : "matmul shape";
        case SUM -> n.shape.isScalar() && args.size() == 1 ? null : "sum shape";
        case GATHER -> {
          if (n.intCount() != n.size()) yield "gather index count";
          for (int i = 0; i < n.intCount(); i++) {
            if (n.intAt(i) < 0 || n.intAt(i) >= args.get(0).size()) yield "gather index out of range";
          }
          yield null;
        }
        case PACK -> args.stream().mapToInt(Node::size).sum() == n.size() ? null : "pack size";
        default -> "unknown tensor op";
      };
    };
  }
}
