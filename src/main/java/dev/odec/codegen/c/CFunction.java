package dev.odec.codegen.c;

import dev.odec.codegen.Operators;
import dev.odec.codegen.Scalarization;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Kernels;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one {@link IrFunction} {@code out = F(t, y, p)} as a straight-line, allocation-free C99
 * function
 *
 * <pre>
 *   OD_FN void NAME(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p,
 *                   double *OD_RESTRICT out)
 * </pre>
 *
 * scalarised like the JVM backend ({@link dev.odec.codegen.jvm.JvmBackend}): a computed node of
 * at most {@link #UNROLL} elements (every SUM, a MATMUL with a small result) becomes one
 * {@code const double} local per element ({@code v12}, {@code v12_3} for node %12's element 3);
 * a larger node is a local array {@code a12[size]} filled by emitted loops; a small node that a
 * loop indexes dynamically is stored in such an array too. Inputs are read where they are used
 * ({@code y[3]}, {@code p[0]}), scalar and small constants are literals, large constants and
 * gather index tables are file-scope arrays ({@link #globals}).
 *
 * <p>Arithmetic follows {@link Kernels} and {@link dev.odec.ir.Scalar} operation by operation:
 * sums and dot products accumulate from 0.0 in index order, comparisons give exactly 1.0 or 0.0,
 * and every kernel that is not one C operator calls an {@code od_*} helper of the runtime header
 * written to Java's semantics (NaN-propagating min/max, signum, Cody's erf, the small-exponent
 * pow). Compiled without fused multiply-add ({@code -ffp-contract=off}), +, −, ×, ÷ and sqrt are
 * bit-identical to the JVM; libm's exp, sin, pow, ... may differ from Java's in the last bit.
 * {@code out} must not alias {@code y} or {@code p}.
 */
public final class CFunction {
  /** Nodes with at most this many elements are unrolled into scalar locals (as in the JVM backend). */
  static final int UNROLL = Scalarization.UNROLL;

  private enum Home { LITERAL, TIME, INPUT, LOCALS, ARRAY, CONST_ARRAY }

  private final IrFunction f;
  private final String name;
  private final List<Node> sched;
  private final int[] posOf;
  private final Home[] home;
  /** For INPUT: the offset; for CONST_ARRAY: unused. */
  private final int[] offset;
  private final boolean[] needsArray;
  private final StringBuilder body = new StringBuilder();
  private final StringBuilder globals = new StringBuilder();
  private int loop;

  private CFunction(IrFunction f, String name) {
    this.f = f;
    this.name = name;
    this.sched = f.schedule();
    int maxId = 0;
    for (Node n : sched) maxId = Math.max(maxId, n.id);
    posOf = new int[maxId + 1];
    for (int i = 0; i < sched.size(); i++) posOf[sched.get(i).id] = i;
    home = new Home[sched.size()];
    offset = new int[sched.size()];
    needsArray = new boolean[sched.size()];
  }

  /** The emitted function: file-scope tables it needs, then the function itself. */
  public record Emitted(String name, String globals, String function) {
    /** Both parts, ready to paste into a translation unit. */
    public String text() {
      return globals + function;
    }
  }

  /** Emits {@code f} as a C function called {@code name} (a C identifier, unique in its file). */
  public static Emitted emit(IrFunction f, String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("not a C identifier: " + name);
    CFunction c = new CFunction(f, name);
    c.plan();
    c.emitBody();
    StringBuilder fn = new StringBuilder();
    fn.append("/* ").append(f.name()).append(": ").append(f.outputSize()).append(" outputs, ")
        .append(c.sched.size()).append(" scheduled nodes */\n");
    fn.append("OD_FN void ").append(name)
        .append("(double t, const double *OD_RESTRICT y, const double *OD_RESTRICT p, double *OD_RESTRICT out) {\n");
    fn.append("  (void) t; (void) y; (void) p;\n");
    fn.append(c.body);
    fn.append("}\n\n");
    return new Emitted(name, c.globals.toString(), fn.toString());
  }

  // ---- plan ----------------------------------------------------------------------------------

  private int pos(Node n) {
    return posOf[n.id];
  }

  private Node node(int pos) {
    return sched.get(pos);
  }

  private static boolean unrolledMatmul(Node n) {
    return Scalarization.unrolledMatmul(n);
  }

  private void plan() {
    int n = sched.size();
    boolean[] big = new boolean[n];
    for (int i = 0; i < n; i++) big[i] = Scalarization.large(node(i));
    System.arraycopy(Scalarization.indexedByLoops(sched, posOf, big), 0, needsArray, 0, n);
    for (int i = 0; i < n; i++) {
      Node nd = node(i);
      switch (nd.op) {
        case INPUT -> {
          home[i] = Home.INPUT;
          offset[i] = nd.intAt(1);
        }
        case CONST -> home[i] = nd.size() > UNROLL || needsArray[i] ? Home.CONST_ARRAY : Home.LITERAL;
        case TIME -> home[i] = needsArray[i] ? Home.ARRAY : Home.TIME;
        default -> home[i] = big[i] || needsArray[i] ? Home.ARRAY : Home.LOCALS;
      }
    }
  }

  // ---- emission ------------------------------------------------------------------------------

  private void emitBody() {
    for (int i = 0; i < sched.size(); i++) {
      Node nd = node(i);
      switch (home[i]) {
        case LITERAL, INPUT -> {}
        case TIME -> {}
        case CONST_ARRAY -> constArray(nd);
        case LOCALS, ARRAY -> define(i);
      }
    }
    int off = 0;
    for (Node o : f.outputs()) {
      copyTo("out", off, o);
      off += o.size();
    }
  }

  private void line(int indent, String s) {
    for (int i = 0; i < indent; i++) body.append("  ");
    body.append(s).append('\n');
  }

  private String constName(Node n) {
    return name + "_k" + n.id;
  }

  private void constArray(Node n) {
    globals.append("OD_CONST double ").append(constName(n)).append('[').append(n.size()).append("] = {");
    for (int i = 0; i < n.size(); i++) {
      if (i > 0) globals.append(i % 6 == 0 ? ",\n  " : ", ");
      globals.append(literal(n.valueAt(i)));
    }
    globals.append("};\n");
  }

  /** Element i (a static index) of node n, as a C expression. */
  private String elem(Node n, int i) {
    int p = pos(n);
    return switch (home[p]) {
      case LITERAL -> literal(n.valueAt(i));
      case TIME -> "t";
      case INPUT -> (n.intAt(0) == 0 ? "y" : "p") + "[" + (offset[p] + i) + "]";
      case LOCALS -> local(n, i);
      case ARRAY -> "a" + n.id + "[" + i + "]";
      case CONST_ARRAY -> constName(n) + "[" + i + "]";
    };
  }

  /** Element {@code index} (a C int expression) of node n, which lives in an array or is an input. */
  private String dyn(Node n, String index) {
    int p = pos(n);
    return switch (home[p]) {
      case INPUT -> (n.intAt(0) == 0 ? "y" : "p") + "[" + (offset[p] == 0 ? index : offset[p] + " + " + index) + "]";
      case ARRAY -> "a" + n.id + "[" + index + "]";
      case CONST_ARRAY -> constName(n) + "[" + index + "]";
      default -> throw new IllegalStateException("%" + n.id + " is not addressable in a loop");
    };
  }

  /** An operand of an element-wise op at loop index {@code i} (scalar operands broadcast). */
  private String operand(Node a, String i) {
    return a.shape.isScalar() ? elem(a, 0) : dyn(a, i);
  }

  private static String local(Node n, int i) {
    return n.size() == 1 ? "v" + n.id : "v" + n.id + "_" + i;
  }

  /** Declares node p's storage and computes it. */
  private void define(int p) {
    Node nd = node(p);
    boolean arr = home[p] == Home.ARRAY;
    if (arr) line(1, "double a" + nd.id + "[" + nd.size() + "];");
    if (nd.op == Op.TIME) {
      line(1, "a" + nd.id + "[0] = t;");
      return;
    }
    switch (nd.op.kind) {
      case UNARY, BINARY, TERNARY -> {
        if (arr && nd.size() > UNROLL) {
          String i = counter();
          line(1, "for (int " + i + " = 0; " + i + " < " + nd.size() + "; " + i + "++) {");
          String[] ops = new String[nd.arity()];
          for (int a = 0; a < ops.length; a++) ops[a] = operand(nd.arg(a), i);
          line(2, "a" + nd.id + "[" + i + "] = " + kernel(nd.op, ops) + ";");
          line(1, "}");
        } else {
          for (int e = 0; e < nd.size(); e++) {
            String[] ops = new String[nd.arity()];
            for (int a = 0; a < ops.length; a++) {
              Node arg = nd.arg(a);
              ops[a] = elem(arg, arg.shape.isScalar() ? 0 : e);
            }
            store(p, e, kernel(nd.op, ops));
          }
        }
      }
      case TENSOR -> {
        switch (nd.op) {
          case SUM -> sum(p);
          case GATHER -> gather(p);
          case PACK -> pack(p);
          case MATMUL -> matmul(p);
          default -> throw new IllegalStateException(nd.op.toString());
        }
      }
      case LEAF -> throw new IllegalStateException("leaf " + nd.op + " has no definition");
    }
  }

  /** Assigns element e of small or array node p. */
  private void store(int p, int e, String expr) {
    Node nd = node(p);
    if (home[p] == Home.ARRAY) line(1, "a" + nd.id + "[" + e + "] = " + expr + ";");
    else line(1, "const double " + local(nd, e) + " = " + expr + ";");
  }

  private String counter() {
    return "i" + loop++;
  }

  private void sum(int p) {
    Node nd = node(p);
    Node x = nd.arg(0);
    if (x.size() <= UNROLL) {
      StringBuilder e = new StringBuilder("0.0");
      for (int i = 0; i < x.size(); i++) e.append(" + ").append(elem(x, i));
      store(p, 0, e.toString());
      return;
    }
    String acc = home[p] == Home.ARRAY ? "a" + nd.id + "[0]" : local(nd, 0);
    if (home[p] == Home.ARRAY) line(1, acc + " = 0.0;");
    else line(1, "double " + acc + " = 0.0;");
    String i = counter();
    line(1, "for (int " + i + " = 0; " + i + " < " + x.size() + "; " + i + "++) " + acc + " += " + dyn(x, i) + ";");
  }

  private void gather(int p) {
    Node nd = node(p);
    Node x = nd.arg(0);
    if (home[p] != Home.ARRAY || nd.size() <= UNROLL) {
      for (int i = 0; i < nd.size(); i++) store(p, i, elem(x, nd.intAt(i)));
      return;
    }
    boolean contiguous = true;
    for (int i = 1; i < nd.intCount() && contiguous; i++) contiguous = nd.intAt(i) == nd.intAt(0) + i;
    String i = counter();
    String from;
    if (contiguous) {
      from = dyn(x, nd.intAt(0) == 0 ? i : nd.intAt(0) + " + " + i);
    } else {
      String table = name + "_g" + nd.id;
      globals.append("OD_CONST int ").append(table).append('[').append(nd.size()).append("] = {");
      for (int k = 0; k < nd.size(); k++) {
        if (k > 0) globals.append(k % 16 == 0 ? ",\n  " : ", ");
        globals.append(nd.intAt(k));
      }
      globals.append("};\n");
      from = dyn(x, table + "[" + i + "]");
    }
    line(1, "for (int " + i + " = 0; " + i + " < " + nd.size() + "; " + i + "++) a" + nd.id + "[" + i + "] = " + from + ";");
  }

  private void pack(int p) {
    Node nd = node(p);
    int k = 0;
    for (Node part : nd.args()) {
      if (home[p] == Home.ARRAY && part.size() > UNROLL) {
        String i = counter();
        line(1, "for (int " + i + " = 0; " + i + " < " + part.size() + "; " + i + "++) a" + nd.id + "["
            + (k == 0 ? i : k + " + " + i) + "] = " + dyn(part, i) + ";");
        k += part.size();
      } else {
        for (int j = 0; j < part.size(); j++) store(p, k++, elem(part, j));
      }
    }
  }

  private void matmul(int p) {
    Node nd = node(p);
    Node a = nd.arg(0);
    Node b = nd.arg(1);
    Kernels.MatmulDims d = Kernels.MatmulDims.of(a.shape, b.shape);
    int m = d.m();
    int k = d.k();
    int n = d.n();
    if (unrolledMatmul(nd)) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          StringBuilder e = new StringBuilder("0.0");
          for (int l = 0; l < k; l++) e.append(" + ").append(elem(a, i * k + l)).append(" * ").append(elem(b, l * n + j));
          store(p, i * n + j, e.toString());
        }
      }
      return;
    }
    // Each element: acc = 0.0; acc += a[i, l] * b[l, j] for l in order (Kernels' order).
    String li = counter();
    String lj = counter();
    String ll = counter();
    String acc = "acc" + nd.id;
    String dst = "a" + nd.id;
    if (home[p] != Home.ARRAY) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          String v = local(nd, i * n + j);
          line(1, "double " + v + " = 0.0;");
          line(1, "for (int " + ll + " = 0; " + ll + " < " + k + "; " + ll + "++) " + v + " += "
              + dyn(a, index(i * k, ll, 1)) + " * " + dyn(b, index(j, ll, n)) + ";");
        }
      }
      return;
    }
    line(1, "for (int " + li + " = 0; " + li + " < " + m + "; " + li + "++) {");
    line(2, "for (int " + lj + " = 0; " + lj + " < " + n + "; " + lj + "++) {");
    line(3, "double " + acc + " = 0.0;");
    String aIdx = (k == 1 ? li : k + " * " + li) + " + " + ll;
    String bIdx = (n == 1 ? ll : n + " * " + ll) + " + " + lj;
    line(3, "for (int " + ll + " = 0; " + ll + " < " + k + "; " + ll + "++) " + acc + " += " + dyn(a, aIdx) + " * "
        + dyn(b, bIdx) + ";");
    line(3, dst + "[" + (n == 1 ? li : n + " * " + li) + " + " + lj + "] = " + acc + ";");
    line(2, "}");
    line(1, "}");
  }

  /** The C expression {@code base + stride * counter}. */
  private static String index(int base, String counter, int stride) {
    String scaled = stride == 1 ? counter : stride + " * " + counter;
    return base == 0 ? scaled : base + " + " + scaled;
  }

  /** Writes all elements of n to {@code arr[dst ..]}. */
  private void copyTo(String arr, int dst, Node n) {
    int p = pos(n);
    boolean addressable = home[p] == Home.ARRAY || home[p] == Home.INPUT || home[p] == Home.CONST_ARRAY;
    if (n.size() > UNROLL && addressable) {
      String i = counter();
      line(1, "for (int " + i + " = 0; " + i + " < " + n.size() + "; " + i + "++) " + arr + "["
          + (dst == 0 ? i : dst + " + " + i) + "] = " + dyn(n, i) + ";");
      return;
    }
    for (int i = 0; i < n.size(); i++) line(1, arr + "[" + (dst + i) + "] = " + elem(n, i) + ";");
  }

  // ---- kernels -------------------------------------------------------------------------------

  /** The C expression of op over operand expressions (each a literal, a local or an array read). */
  static String kernel(Op op, String[] a) {
    String x = a[0];
    String y = a.length > 1 ? a[1] : null;
    String infix = Operators.infix(op, x, y);
    if (infix != null) return infix;
    return switch (op) {
      case EXP -> "exp(" + x + ")";
      case LOG -> "log(" + x + ")";
      case LOG10 -> "log10(" + x + ")";
      case SQRT -> "sqrt(" + x + ")";
      case ABS -> "fabs(" + x + ")";
      case SIGN -> "od_sign(" + x + ")";
      case SIN -> "sin(" + x + ")";
      case COS -> "cos(" + x + ")";
      case TAN -> "tan(" + x + ")";
      case ASIN -> "asin(" + x + ")";
      case ACOS -> "acos(" + x + ")";
      case ATAN -> "atan(" + x + ")";
      case SINH -> "sinh(" + x + ")";
      case COSH -> "cosh(" + x + ")";
      case TANH -> "tanh(" + x + ")";
      case SIGMOID -> "od_sigmoid(" + x + ")";
      case SOFTPLUS -> "od_softplus(" + x + ")";
      case RELU -> "od_relu(" + x + ")";
      case ERF -> "od_erf(" + x + ")";
      case FLOOR -> "floor(" + x + ")";
      case CEIL -> "ceil(" + x + ")";
      case POW -> "od_pow(" + x + ", " + y + ")";
      case ATAN2 -> "atan2(" + x + ", " + y + ")";
      case MIN -> "od_min(" + x + ", " + y + ")";
      case MAX -> "od_max(" + x + ", " + y + ")";
      case SELECT -> "(" + x + " != 0.0 ? " + y + " : " + a[2] + ")";
      default -> throw new IllegalArgumentException("not an element-wise op: " + op);
    };
  }

  /**
   * A C double literal that reads back to exactly v: Java's shortest round-trip decimal (always
   * with a '.' or an exponent, so C reads a double), parenthesised when negative so that it can
   * follow any operator; NaN and the infinities by the macros of math.h.
   */
  public static String literal(double v) {
    if (Double.isNaN(v)) return "NAN";
    if (v == Double.POSITIVE_INFINITY) return "INFINITY";
    if (v == Double.NEGATIVE_INFINITY) return "(-INFINITY)";
    String s = Double.toString(v);
    return s.startsWith("-") ? "(" + s + ")" : s;
  }

  /** Literals of a whole array, for tables emitted by the program generator. */
  static String literals(double[] v) {
    List<String> out = new ArrayList<>(v.length);
    for (double x : v) out.add(literal(x));
    return String.join(", ", out);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(new int[] {f.outputSize()});
  }
}
