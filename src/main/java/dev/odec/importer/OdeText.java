package dev.odec.importer;

import dev.odec.infer.Decimals;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes a {@link MathExpr} as {@code .ode} expression text (LANGUAGE.md §4) with as few
 * parentheses as the grammar allows, but keeping the source's grouping of sums and products
 * (so the compiled arithmetic is the one the source wrote, in the same order).
 *
 * <p>Precedence, low to high: {@code if} · {@code or} · {@code and} · {@code not} · comparisons
 * · {@code + -} · {@code * /} · unary {@code -} · {@code ^} (right-associative) · atoms.
 */
final class OdeText {
  private static final int IF = 0;
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int CMP = 4;
  private static final int ADD = 5;
  private static final int MUL = 6;
  private static final int NEG = 7;
  private static final int POW = 8;
  private static final int ATOM = 9;

  private static final Map<String, Integer> BINARY = Map.of(
      "+", ADD, "-", ADD, "*", MUL, "/", MUL, "^", POW,
      "<", CMP, "<=", CMP, ">", CMP, ">=", CMP, "==", CMP);

  private final UnaryOperator<String> names;

  /** {@code names} maps a source id (of a symbol or a function definition) to its {@code .ode} name. */
  OdeText(UnaryOperator<String> names) {
    this.names = names;
  }

  String write(MathExpr e) {
    StringBuilder sb = new StringBuilder();
    write(e, IF, sb);
    return sb.toString();
  }

  /** A number as {@code .ode} text: integers without a fraction, else the shortest round-trip form. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) return Long.toString((long) v);
    if (Double.isInfinite(v)) return v > 0 ? "1e999" : "-1e999"; // reads back as ±infinity
    return Decimals.shortest(v);
  }

  private static int precedence(MathExpr e) {
    if (e instanceof MathExpr.Num n) return n.value() < 0 || (n.value() == 0 && 1 / n.value() < 0) ? NEG : ATOM;
    if (e instanceof MathExpr.Op o) {
      Integer b = BINARY.get(o.op());
      if (b != null) return b;
      return switch (o.op()) {
        case "!=" -> CMP;
        case "neg" -> NEG;
        case "not" -> NOT;
        case "and" -> AND;
        case "or" -> OR;
        case "if" -> IF;
        default -> ATOM;
      };
    }
    return ATOM;
  }

  private void write(MathExpr e, int min, StringBuilder sb) {
    int p = precedence(e);
    boolean paren = p < min;
    if (paren) sb.append('(');
    if (e instanceof MathExpr.Num n) {
      sb.append(number(n.value()));
    } else if (e instanceof MathExpr.Sym s) {
      sb.append(names.apply(s.id()));
    } else if (e instanceof MathExpr.Time) {
      sb.append('t');
    } else if (e instanceof MathExpr.Call c) {
      call(names.apply(c.fn()), c.args(), sb);
    } else {
      MathExpr.Op o = (MathExpr.Op) e;
      List<MathExpr> a = o.args();
      switch (o.op()) {
        case "neg" -> {
          sb.append('-');
          write(a.get(0), NEG + 1, sb);
        }
        case "not" -> {
          sb.append("not ");
          write(a.get(0), NOT, sb);
        }
        case "if" -> {
          sb.append("if ");
          write(a.get(0), IF, sb);
          sb.append(" then ");
          write(a.get(1), IF, sb);
          sb.append(" else ");
          write(a.get(2), IF, sb);
        }
        case "^" -> {
          write(a.get(0), ATOM, sb);
          sb.append('^');
          write(a.get(1), POW, sb);
        }
        case "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or" -> {
          boolean chain = !List.of("<", "<=", ">", ">=", "==", "!=").contains(o.op());
          String sep = o.op().equals("*") || o.op().equals("/") ? o.op() : " " + o.op() + " ";
          for (int i = 0; i < a.size(); i++) {
            if (i > 0) sb.append(sep);
            // left-associative: the first operand may be of the same level, later ones bind tighter
            write(a.get(i), i == 0 && chain ? p : p + 1, sb);
          }
        }
        default -> {
          if (a.isEmpty()) sb.append(o.op()); // a built-in constant: pi
          else call(o.op(), a, sb);
        }
      }
    }
    if (paren) sb.append(')');
  }

  private void call(String name, List<MathExpr> args, StringBuilder sb) {
    sb.append(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) sb.append(", ");
      write(args.get(i), IF, sb);
    }
    sb.append(')');
  }
}
