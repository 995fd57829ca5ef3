package dev.odec.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints an expression DAG as readable infix text in the model language's notation, with its
 * precedences ({@code ^} right-associative and tighter than unary minus, then {@code * / @},
 * {@code + -}, comparisons, {@code not}, {@code and}, {@code or}, {@code if}):
 * {@code alpha * prey - beta * prey * pred}.
 *
 * <p>Shared subexpressions are printed inline where short; a long one (over
 * {@value #BIND_LENGTH} characters) used more than once is bound once, as in
 * {@code let v1 = exp(-x * x) * k; v1 * a + v1 * b}. Inputs are named by the caller's function;
 * unnamed ones print as {@code y[k]} or {@code y[k:l]} (1-based, inclusive, like the language),
 * element GATHERs as {@code x[i]} / {@code x[i, j]}, other GATHERs as a slice {@code x[i:j]},
 * {@code transpose(x)} or {@code gather(x, {i, ...})} (0-based flat indices), PACKs as
 * {@code [a, b, ...]}. Since {@code -(a*b)} equals {@code (-a)*b} exactly, a negated product prints
 * as {@code -a * b}, and {@code a + -b} and {@code -b + a} as {@code a - b}.
 */
public final class InfixPrinter {
  private InfixPrinter() {}

  static final int BIND_LENGTH = 30;

  private static final int ATOM = 100;
  private static final int POW = 90;
  private static final int UNARY = 80;
  private static final int MUL = 70;
  private static final int ADD = 60;
  private static final int CMP = 50;
  private static final int NOT = 40;
  private static final int AND = 30;
  private static final int OR = 20;
  private static final int IF = 10;

  private record Text(String s, int prec) {}

  /**
   * A readable infix expression for a node (shared subexpressions printed inline; long ones may be
   * abbreviated with let-bindings): {@code alpha * prey - beta * prey * pred}. Uses names for
   * inputs when given (inputName may return null, or be null, for the default names).
   */
  public static String print(Node n, Function<Node, String> inputName) {
    // the sub-DAG in increasing id order, and how often each node is used within it
    List<Node> order = new ArrayList<>();
    Map<Node, Integer> uses = new HashMap<>();
    Set<Node> seen = new HashSet<>();
    ArrayList<Node> stack = new ArrayList<>();
    seen.add(n);
    stack.add(n);
    while (!stack.isEmpty()) {
      Node x = stack.remove(stack.size() - 1);
      order.add(x);
      for (Node a : x.args()) {
        uses.merge(a, 1, Integer::sum);
        if (seen.add(a)) stack.add(a);
      }
    }
    order.sort((a, b) -> Integer.compare(a.id, b.id));
    Set<String> taken = new HashSet<>();
    Map<Node, Text> text = new HashMap<>();
    for (Node x : order) {
      if (x.op == Op.INPUT) {
        Text t = leaf(x, inputName);
        taken.add(t.s);
        text.put(x, t);
      }
    }
    List<String> lets = new ArrayList<>();
    int counter = 0;
    for (Node x : order) {
      if (x.op == Op.INPUT) continue;
      Text t = x.op.kind == Op.Kind.LEAF ? leaf(x, inputName) : inner(x, text);
      if (x != n && x.op.kind != Op.Kind.LEAF && uses.getOrDefault(x, 0) > 1 && t.s.length() > BIND_LENGTH) {
        String name;
        do {
          name = "v" + (++counter);
        } while (taken.contains(name));
        lets.add("let " + name + " = " + t.s + "; ");
        t = new Text(name, ATOM);
      }
      text.put(x, t);
    }
    StringBuilder sb = new StringBuilder();
    for (String l : lets) sb.append(l);
    return sb.append(text.get(n).s).toString();
  }

  private static Text leaf(Node n, Function<Node, String> inputName) {
    return switch (n.op) {
      case TIME -> new Text("t", ATOM);
      case CONST -> n.shape.isScalar() ? number(n.valueAt(0)) : new Text(tensorConst(n), ATOM);
      case INPUT -> {
        String name = inputName == null ? null : inputName.apply(n);
        if (name != null) yield new Text(name, ATOM);
        String v = n.intAt(0) == 0 ? "y" : n.intAt(0) == 1 ? "p" : "in" + n.intAt(0);
        int lo = n.intAt(1) + 1;
        yield new Text(n.size() == 1 ? v + "[" + lo + "]" : v + "[" + lo + ":" + (lo + n.size() - 1) + "]", ATOM);
      }
      default -> throw new IllegalArgumentException("not a leaf: " + n.op);
    };
  }

  private static Text inner(Node n, Map<Node, Text> text) {
    Op op = n.op;
    return switch (op.kind) {
      case LEAF -> throw new IllegalStateException();
      case UNARY -> {
        Text x = text.get(n.arg(0));
        if (op == Op.NEG) {
          // -(a * b) == (-a) * b exactly: print the product without parentheses
          boolean product = (n.arg(0).op == Op.MUL || n.arg(0).op == Op.DIV) && x.prec == MUL;
          int need = product ? MUL : UNARY + 1;
          String s = x.prec >= need && !x.s.startsWith("-") ? x.s : "(" + x.s + ")";
          yield new Text("-" + s, product ? MUL : UNARY);
        }
        if (op == Op.NOT) yield new Text("not " + wrap(x, NOT), NOT);
        yield new Text(op.text + "(" + x.s + ")", ATOM);
      }
      case BINARY -> {
        Node a = n.arg(0);
        Node b = n.arg(1);
        Text ta = text.get(a);
        Text tb = text.get(b);
        yield switch (op) {
          case ADD, SUB -> {
            // a term printed with a leading minus is the exact negation of the rest of its text:
            // a + -b -> a - b ; a - -b -> a + b ; -a + b -> b - a (addition commutes exactly)
            boolean negA = ta.s.startsWith("-") && ta.prec >= MUL;
            boolean negB = tb.s.startsWith("-") && tb.prec >= MUL;
            if (negB) {
              yield new Text(wrap(ta, ADD) + (op == Op.ADD ? " - " : " + ") + tb.s.substring(1), ADD);
            }
            if (negA && op == Op.ADD) yield new Text(wrap(tb, ADD) + " - " + ta.s.substring(1), ADD);
            yield new Text(wrap(ta, ADD) + (op == Op.ADD ? " + " : " - ") + wrap(tb, ADD + 1), ADD);
          }
          case MUL -> new Text(wrap(ta, MUL) + " * " + wrap(tb, MUL + 1), MUL);
          case DIV -> new Text(wrap(ta, MUL) + " / " + wrap(tb, MUL + 1), MUL);
          case POW -> new Text(wrap(ta, POW + 1) + " ^ " + wrap(tb, POW), POW);
          case LT, LE, GT, GE, EQ, NE -> new Text(wrap(ta, CMP) + " " + cmp(op) + " " + wrap(tb, CMP + 1), CMP);
          case AND -> new Text(wrap(ta, AND) + " and " + wrap(tb, AND + 1), AND);
          case OR -> new Text(wrap(ta, OR) + " or " + wrap(tb, OR + 1), OR);
          default -> new Text(op.text + "(" + ta.s + ", " + tb.s + ")", ATOM); // atan2, min, max
        };
      }
      case TERNARY -> new Text("if " + text.get(n.arg(0)).s + " then " + text.get(n.arg(1)).s + " else "
          + text.get(n.arg(2)).s, IF);
      case TENSOR -> switch (op) {
        case MATMUL -> new Text(wrap(text.get(n.arg(0)), MUL) + " @ " + wrap(text.get(n.arg(1)), MUL + 1), MUL);
        case SUM -> new Text("sum(" + text.get(n.arg(0)).s + ")", ATOM);
        case GATHER -> gather(n, text.get(n.arg(0)));
        case PACK -> {
          StringBuilder sb = new StringBuilder("[");
          boolean matrixOfScalars = n.shape.rank() == 2 && n.arity() == n.size();
          for (int i = 0; i < n.arity(); i++) {
            if (matrixOfScalars && i % n.shape.dim(1) == 0) sb.append(i == 0 ? "[" : "], [");
            else if (i > 0) sb.append(", ");
            sb.append(text.get(n.arg(i)).s);
          }
          yield new Text(sb.append(matrixOfScalars ? "]]" : "]").toString(), ATOM);
        }
        default -> throw new IllegalStateException(op.toString());
      };
    };
  }

  private static Text gather(Node n, Text x) {
    Node src = n.arg(0);
    String xs = wrap(x, ATOM);
    if (n.shape.isScalar()) {
      int k = n.intAt(0);
      if (src.shape.rank() == 2) {
        int c = src.shape.dim(1);
        return new Text(xs + "[" + (k / c + 1) + ", " + (k % c + 1) + "]", ATOM);
      }
      return new Text(xs + "[" + (k + 1) + "]", ATOM);
    }
    int[] idx = n.ints();
    if (src.shape.rank() == 1 && n.shape.rank() == 1) {
      boolean contiguous = true;
      for (int i = 1; i < idx.length; i++) contiguous &= idx[i] == idx[0] + i;
      if (contiguous) return new Text(xs + "[" + (idx[0] + 1) + ":" + (idx[0] + idx.length) + "]", ATOM);
    }
    if (src.shape.rank() == 2 && n.shape.rank() == 2 && n.shape.dim(0) == src.shape.dim(1)
        && n.shape.dim(1) == src.shape.dim(0)) {
      int r = src.shape.dim(0);
      int c = src.shape.dim(1);
      boolean transpose = true;
      for (int i = 0; i < c && transpose; i++) for (int j = 0; j < r; j++) transpose &= idx[i * r + j] == j * c + i;
      if (transpose) return new Text("transpose(" + x.s + ")", ATOM);
    }
    StringBuilder sb = new StringBuilder("gather(").append(x.s).append(", {");
    for (int i = 0; i < idx.length; i++) sb.append(i > 0 ? ", " : "").append(idx[i]);
    return new Text(sb.append("})").toString(), ATOM);
  }

  private static String wrap(Text t, int need) {
    return t.prec >= need ? t.s : "(" + t.s + ")";
  }

  private static String cmp(Op op) {
    return switch (op) {
      case LT -> "<";
      case LE -> "<=";
      case GT -> ">";
      case GE -> ">=";
      case EQ -> "==";
      default -> "!=";
    };
  }

  private static Text number(double v) {
    String s;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) s = String.format(Locale.ROOT, "%d", (long) v);
    else s = Double.toString(v);
    if (Double.isNaN(v) || Double.isInfinite(v)) return new Text(s, ATOM);
    return new Text(s, s.startsWith("-") ? UNARY : ATOM);
  }

  private static String tensorConst(Node n) {
    StringBuilder sb = new StringBuilder("[");
    int cols = n.shape.rank() == 2 ? n.shape.dim(1) : n.size();
    for (int i = 0; i < n.size(); i++) {
      if (n.shape.rank() == 2 && i % cols == 0) sb.append(i == 0 ? "[" : "], [");
      else if (i > 0) sb.append(", ");
      sb.append(number(n.valueAt(i)).s);
    }
    return sb.append(n.shape.rank() == 2 ? "]]" : "]").toString();
  }
}
