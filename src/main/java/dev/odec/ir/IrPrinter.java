package dev.odec.ir;

import java.util.List;
import java.util.Locale;

/** Prints functions as readable three-address text, one node a line. */
public final class IrPrinter {
  private IrPrinter() {}

  public static String print(IrFunction f) {
    StringBuilder sb = new StringBuilder();
    sb.append("function ").append(f.name()).append("(t, y: real[").append(f.ySize())
        .append("], p: real[").append(f.pSize()).append("]) {\n");
    for (Node n : f.schedule()) sb.append("  ").append(line(n)).append('\n');
    sb.append("  return");
    List<Node> outs = f.outputs();
    for (int i = 0; i < outs.size(); i++) sb.append(i == 0 ? " " : ", ").append('%').append(outs.get(i).id);
    return sb.append("\n}\n").toString();
  }

  /** One node: {@code %7 = mul %3, %5 : real[2]}. */
  public static String line(Node n) {
    StringBuilder sb = new StringBuilder();
    sb.append('%').append(n.id).append(" = ");
    switch (n.op) {
      case CONST -> {
        sb.append("const ");
        if (n.shape.isScalar()) sb.append(num(n.valueAt(0)));
        else {
          sb.append('[');
          for (int i = 0; i < n.size(); i++) sb.append(i > 0 ? ", " : "").append(num(n.valueAt(i)));
          sb.append(']');
        }
      }
      case TIME -> sb.append("t");
      case INPUT -> {
        sb.append(n.intAt(0) == 0 ? "y" : "p").append('[').append(n.intAt(1));
        if (n.size() > 1) sb.append(':').append(n.intAt(1) + n.size());
        sb.append(']');
      }
      default -> {
        sb.append(n.op.text);
        for (int i = 0; i < n.arity(); i++) sb.append(i == 0 ? " %" : ", %").append(n.arg(i).id);
        if (n.op == Op.GATHER) {
          sb.append(" at [");
          for (int i = 0; i < n.intCount(); i++) sb.append(i > 0 ? ", " : "").append(n.intAt(i));
          sb.append(']');
        }
      }
    }
    return sb.append(" : ").append(n.shape).toString();
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%.1f", v);
    return Double.toString(v);
  }
}
