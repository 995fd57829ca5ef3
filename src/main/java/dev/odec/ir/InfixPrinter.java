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
 *
 * <p>Every node's text is built once, holding its operands' texts, so a long chain (a sum of
 * 100,000 terms) builds about its length squared over two characters. The same walk run in
 * measuring mode ({@link #cost}) computes those lengths without building any text, so that a
 * caller can refuse a print too large to build.
 */
public final class InfixPrinter {
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

  /**
   * A node's text: the string ({@code null} when measuring), its length, whether it starts with a
   * minus sign, and the precedence of its outermost operator.
   */
  private record Text(String s, long len, boolean minus, int prec) {}

  /** True: lengths only (no strings are built). */
  private final boolean measure;
  /** The characters of every text built so far (measuring mode). */
  private long built;

  private InfixPrinter(boolean measure) {
    this.measure = measure;
  }

  /**
   * A readable infix expression for a node (shared subexpressions printed inline; long ones may be
   * abbreviated with let-bindings): {@code alpha * prey - beta * prey * pred}. Uses names for
   * inputs when given (inputName may return null, or be null, for the default names).
   */
  public static String print(Node n, Function<Node, String> inputName) {
    return new InfixPrinter(false).walk(n, inputName).s();
  }

  /**
   * The characters {@link #print} builds for n (every node's text, the bound ones and the
   * result), computed from lengths alone in time linear in the sub-DAG.
   */
  public static long cost(Node n, Function<Node, String> inputName) {
    InfixPrinter p = new InfixPrinter(true);
    p.walk(n, inputName);
    return p.built;
  }

  /** The length of {@link #print}'s result, from lengths alone (for tests of the measuring mode). */
  static long length(Node n, Function<Node, String> inputName) {
    return new InfixPrinter(true).walk(n, inputName).len();
  }

  private Text walk(Node n, Function<Node, String> inputName) {
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
        taken.add(measure ? "" : t.s);
        text.put(x, t);
      }
    }
    List<Text> lets = new ArrayList<>();
    int counter = 0;
    for (Node x : order) {
      if (x.op == Op.INPUT) continue;
      Text t = x.op.kind == Op.Kind.LEAF ? leaf(x, inputName) : inner(x, text);
      if (x != n && x.op.kind != Op.Kind.LEAF && uses.getOrDefault(x, 0) > 1 && t.len > BIND_LENGTH) {
        String name;
        do {
          name = "v" + (++counter);
        } while (!measure && taken.contains(name));
        lets.add(cat(ATOM, "let " + name + " = ", t, "; "));
        t = atom(name);
      }
      text.put(x, t);
    }
    List<Object> all = new ArrayList<>(lets);
    all.add(text.get(n));
    return cat(ATOM, all.toArray());
  }

  /**
   * The text of its parts (strings and texts) in order, with the given precedence; in measuring
   * mode only its length and first character, and the length is added to {@link #built}.
   */
  private Text cat(int prec, Object... parts) {
    if (!measure) {
      StringBuilder sb = new StringBuilder();
      for (Object p : parts) sb.append(p instanceof Text t ? t.s : (String) p);
      String s = sb.toString();
      return new Text(s, s.length(), s.startsWith("-"), prec);
    }
    long len = 0;
    Boolean minus = null;
    for (Object p : parts) {
      long l = p instanceof Text t ? t.len : ((String) p).length();
      if (minus == null && l > 0) minus = p instanceof Text t ? t.minus : ((String) p).charAt(0) == '-';
      len += l;
    }
    built += len;
    return new Text(null, len, minus != null && minus, prec);
  }

  private Text atom(String s) {
    return cat(ATOM, s);
  }

  /** The text without its first character (a leading minus). */
  private Text dropFirst(Text t) {
    if (!measure) return cat(t.prec, t.s.substring(1));
    built += t.len - 1;
    return new Text(null, t.len - 1, false, t.prec); // what follows the minus never starts the result
  }

  private Text leaf(Node n, Function<Node, String> inputName) {
    return switch (n.op) {
      case TIME -> atom("t");
      case CONST -> n.shape.isScalar() ? number(n.valueAt(0)) : tensorConst(n);
      case INPUT -> {
        String name = inputName == null ? null : inputName.apply(n);
        if (name != null) yield atom(name);
        String v = n.intAt(0) == 0 ? "y" : n.intAt(0) == 1 ? "p" : "in" + n.intAt(0);
        int lo = n.intAt(1) + 1;
        yield atom(n.size() == 1 ? v + "[" + lo + "]" : v + "[" + lo + ":" + (lo + n.size() - 1) + "]");
      }
      default -> throw new IllegalArgumentException("not a leaf: " + n.op);
    };
  }

  private Text inner(Node n, Map<Node, Text> text) {
    Op op = n.op;
    return switch (op.kind) {
      case LEAF -> throw new IllegalStateException();
      case UNARY -> {
        Text x = text.get(n.arg(0));
        if (op == Op.NEG) {
          // -(a * b) == (-a) * b exactly: print the product without parentheses
          boolean product = (n.arg(0).op == Op.MUL || n.arg(0).op == Op.DIV) && x.prec == MUL;
          int need = product ? MUL : UNARY + 1;
          int prec = product ? MUL : UNARY;
          yield x.prec >= need && !x.minus ? cat(prec, "-", x) : cat(prec, "-(", x, ")");
        }
        if (op == Op.NOT) yield cat(NOT, "not ", wrap(x, NOT));
        yield cat(ATOM, op.text + "(", x, ")");
      }
      case BINARY -> {
        Text ta = text.get(n.arg(0));
        Text tb = text.get(n.arg(1));
        yield switch (op) {
          case ADD, SUB -> {
            // a term printed with a leading minus is the exact negation of the rest of its text:
            // a + -b -> a - b ; a - -b -> a + b ; -a + b -> b - a (addition commutes exactly)
            boolean negA = ta.minus && ta.prec >= MUL;
            boolean negB = tb.minus && tb.prec >= MUL;
            if (negB) yield cat(ADD, wrap(ta, ADD), op == Op.ADD ? " - " : " + ", dropFirst(tb));
            if (negA && op == Op.ADD) yield cat(ADD, wrap(tb, ADD), " - ", dropFirst(ta));
            yield cat(ADD, wrap(ta, ADD), op == Op.ADD ? " + " : " - ", wrap(tb, ADD + 1));
          }
          case MUL -> cat(MUL, wrap(ta, MUL), " * ", wrap(tb, MUL + 1));
          case DIV -> cat(MUL, wrap(ta, MUL), " / ", wrap(tb, MUL + 1));
          case POW -> cat(POW, wrap(ta, POW + 1), " ^ ", wrap(tb, POW));
          case LT, LE, GT, GE, EQ, NE -> cat(CMP, wrap(ta, CMP), " " + cmp(op) + " ", wrap(tb, CMP + 1));
          case AND -> cat(AND, wrap(ta, AND), " and ", wrap(tb, AND + 1));
          case OR -> cat(OR, wrap(ta, OR), " or ", wrap(tb, OR + 1));
          default -> cat(ATOM, op.text + "(", ta, ", ", tb, ")"); // atan2, min, max
        };
      }
      case TERNARY -> cat(IF, "if ", text.get(n.arg(0)), " then ", text.get(n.arg(1)), " else ", text.get(n.arg(2)));
      case TENSOR -> switch (op) {
        case MATMUL -> cat(MUL, wrap(text.get(n.arg(0)), MUL), " @ ", wrap(text.get(n.arg(1)), MUL + 1));
        case SUM -> cat(ATOM, "sum(", text.get(n.arg(0)), ")");
        case GATHER -> gather(n, text.get(n.arg(0)));
        case PACK -> {
          List<Object> parts = new ArrayList<>();
          parts.add("[");
          boolean matrixOfScalars = n.shape.rank() == 2 && n.arity() == n.size();
          for (int i = 0; i < n.arity(); i++) {
            if (matrixOfScalars && i % n.shape.dim(1) == 0) parts.add(i == 0 ? "[" : "], [");
            else if (i > 0) parts.add(", ");
            parts.add(text.get(n.arg(i)));
          }
          parts.add(matrixOfScalars ? "]]" : "]");
          yield cat(ATOM, parts.toArray());
        }
        default -> throw new IllegalStateException(op.toString());
      };
    };
  }

  private Text gather(Node n, Text x) {
    Node src = n.arg(0);
    Text xs = wrap(x, ATOM);
    if (n.shape.isScalar()) {
      int k = n.intAt(0);
      if (src.shape.rank() == 2) {
        int c = src.shape.dim(1);
        return cat(ATOM, xs, "[" + (k / c + 1) + ", " + (k % c + 1) + "]");
      }
      return cat(ATOM, xs, "[" + (k + 1) + "]");
    }
    int[] idx = n.ints();
    if (src.shape.rank() == 1 && n.shape.rank() == 1) {
      boolean contiguous = true;
      for (int i = 1; i < idx.length; i++) contiguous &= idx[i] == idx[0] + i;
      if (contiguous) return cat(ATOM, xs, "[" + (idx[0] + 1) + ":" + (idx[0] + idx.length) + "]");
    }
    if (src.shape.rank() == 2 && n.shape.rank() == 2 && n.shape.dim(0) == src.shape.dim(1)
        && n.shape.dim(1) == src.shape.dim(0)) {
      int r = src.shape.dim(0);
      int c = src.shape.dim(1);
      boolean transpose = true;
      for (int i = 0; i < c && transpose; i++) for (int j = 0; j < r; j++) transpose &= idx[i * r + j] == j * c + i;
      if (transpose) return cat(ATOM, "transpose(", x, ")");
    }
    StringBuilder sb = new StringBuilder(", {");
    for (int i = 0; i < idx.length; i++) sb.append(i > 0 ? ", " : "").append(idx[i]);
    return cat(ATOM, "gather(", x, sb.append("})").toString());
  }

  private Text wrap(Text t, int need) {
    return t.prec >= need ? t : cat(ATOM, "(", t, ")");
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

  private static String numberText(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%d", (long) v);
    return Double.toString(v);
  }

  private Text number(double v) {
    String s = numberText(v);
    if (Double.isNaN(v) || Double.isInfinite(v)) return atom(s);
    return cat(s.startsWith("-") ? UNARY : ATOM, s);
  }

  private Text tensorConst(Node n) {
    StringBuilder sb = new StringBuilder("[");
    int cols = n.shape.rank() == 2 ? n.shape.dim(1) : n.size();
    for (int i = 0; i < n.size(); i++) {
      if (n.shape.rank() == 2 && i % cols == 0) sb.append(i == 0 ? "[" : "], [");
      else if (i > 0) sb.append(", ");
      sb.append(numberText(n.valueAt(i)));
    }
    return atom(sb.append(n.shape.rank() == 2 ? "]]" : "]").toString());
  }
}
