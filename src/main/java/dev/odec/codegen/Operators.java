package dev.odec.codegen;

import dev.odec.ir.Op;

/**
 * The ops that Java and C both write as one operator or conditional expression, with the same
 * meaning as {@link dev.odec.ir.Scalar}: arithmetic, negation, and the comparisons and logic that
 * give exactly 1.0 or 0.0 (a NaN compares false; a NaN operand of and/or counts as true). Used by
 * the JVM backend's Java rendering and by the C backend.
 */
public final class Operators {
  private Operators() {}

  /** The expression of op over operand expressions x and y (y null for unary ops), or null when op is a function call. */
  public static String infix(Op op, String x, String y) {
    return switch (op) {
      case NEG -> x.startsWith("-") ? "-(" + x + ")" : "-" + x;
      case NOT -> "(" + x + " == 0.0 ? 1.0 : 0.0)";
      case ADD -> x + " + " + y;
      case SUB -> x + " - " + y;
      case MUL -> x + " * " + y;
      case DIV -> x + " / " + y;
      case LT -> "(" + x + " < " + y + " ? 1.0 : 0.0)";
      case LE -> "(" + x + " <= " + y + " ? 1.0 : 0.0)";
      case GT -> "(" + x + " > " + y + " ? 1.0 : 0.0)";
      case GE -> "(" + x + " >= " + y + " ? 1.0 : 0.0)";
      case EQ -> "(" + x + " == " + y + " ? 1.0 : 0.0)";
      case NE -> "(" + x + " != " + y + " ? 1.0 : 0.0)";
      case AND -> "(" + x + " != 0.0 && " + y + " != 0.0 ? 1.0 : 0.0)";
      case OR -> "(" + x + " != 0.0 || " + y + " != 0.0 ? 1.0 : 0.0)";
      default -> null;
    };
  }
}
