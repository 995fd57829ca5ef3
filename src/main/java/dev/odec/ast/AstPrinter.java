package dev.odec.ast;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a parsed model back as canonical source: one statement a line, every compound
 * expression parenthesised so that the parser's grouping is visible, and (when given) each
 * declaration's checked shape and place in the y or p vector as a trailing comment.
 */
public final class AstPrinter {
  private AstPrinter() {}

  /** @param notes per declared name, a comment to append (shape and layout), may be empty */
  public static String print(ModelFile file, String modelName, Map<String, String> notes) {
    StringBuilder sb = new StringBuilder();
    sb.append("model ").append(modelName).append('\n');
    for (Decl d : file.decls()) {
      String line = decl(d);
      String name = nameOf(d);
      String note = name == null ? null : notes.get(name);
      sb.append(line);
      if (note != null) sb.append("   # ").append(note);
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String nameOf(Decl d) {
    if (d instanceof Decl.Param p) return p.name();
    if (d instanceof Decl.Const c) return c.name();
    if (d instanceof Decl.State s) return s.name();
    if (d instanceof Decl.Let l) return l.name();
    return null;
  }

  static String decl(Decl d) {
    if (d instanceof Decl.Param p) {
      StringBuilder sb = new StringBuilder("param ").append(p.name()).append(type(p.type()));
      if (p.value() != null) sb.append(" = ").append(expr(p.value()));
      if (p.lo() != null) sb.append(" in [").append(expr(p.lo())).append(", ").append(expr(p.hi())).append(']');
      if (p.scale() != null) sb.append(" scale ").append(p.scale());
      if (p.prior() != null) sb.append(" ~ ").append(dist(p.prior()));
      return sb.toString();
    }
    if (d instanceof Decl.Const c) return "const " + c.name() + type(c.type()) + " = " + expr(c.value());
    if (d instanceof Decl.State s) {
      return "state " + s.name() + type(s.type()) + (s.value() == null ? "" : " = " + expr(s.value()));
    }
    if (d instanceof Decl.Let l) return "let " + l.name() + " = " + expr(l.value());
    if (d instanceof Decl.Fn f) return "fn " + f.name() + "(" + String.join(", ", f.params()) + ") = " + expr(f.body());
    if (d instanceof Decl.Deriv dv) return "d(" + dv.state() + ")/dt = " + expr(dv.value());
    if (d instanceof Decl.Reaction r) {
      return "reaction " + (r.name() == null ? "" : r.name() + ": ") + side(r.lhs()) + (r.reversible() ? " <-> " : " -> ")
          + side(r.rhs()) + " : " + expr(r.flux());
    }
    if (d instanceof Decl.Observe o) return "observe " + o.name() + " ~ " + dist(o.dist());
    if (d instanceof Decl.Rate r) return "rate " + r.name() + " = " + expr(r.value());
    if (d instanceof Decl.Flow f) return "flow " + f.name() + " ~ " + dist(f.dist());
    if (d instanceof Decl.At a) {
      return "at t = " + expr(a.time()) + (a.period() == null ? "" : " every " + expr(a.period()))
          + (a.until() == null ? "" : " until " + expr(a.until())) + ": " + assignments(a.assignments());
    }
    if (d instanceof Decl.When w) return "when " + expr(w.cond()) + ": " + assignments(w.assignments());
    Decl.Import i = (Decl.Import) d;
    return "import " + (i.isPath() ? "\"" + i.module() + "\"" : i.module());
  }

  private static String assignments(List<Decl.Assignment> list) {
    List<String> parts = new java.util.ArrayList<>();
    for (Decl.Assignment a : list) parts.add(a.target() + " = " + expr(a.value()));
    return String.join(", ", parts);
  }

  private static String side(List<Decl.Species> side) {
    return side.stream()
        .map(s -> s.name() == null ? "0" : (s.coeff() == 1 ? "" : s.coeff() + " ") + s.name())
        .collect(Collectors.joining(" + "));
  }

  private static String type(Decl.TypeSpec t) {
    if (t == null) return "";
    if (t.dims().isEmpty()) return ": real";
    return ": real[" + t.dims().stream().map(AstPrinter::expr).collect(Collectors.joining(", ")) + "]";
  }

  private static String dist(Decl.Dist d) {
    return d.name() + "(" + d.args().stream().map(AstPrinter::expr).collect(Collectors.joining(", ")) + ")";
  }

  public static String expr(Expr e) {
    if (e instanceof Expr.Num n) return n.text();
    if (e instanceof Expr.Name n) return n.name();
    if (e instanceof Expr.Unary u) return "(" + (u.op() == Expr.UnOp.NOT ? "not " : "-") + expr(u.operand()) + ")";
    if (e instanceof Expr.Binary b) return "(" + expr(b.left()) + " " + b.op().text + " " + expr(b.right()) + ")";
    if (e instanceof Expr.Call c) {
      return c.name() + "(" + c.args().stream().map(AstPrinter::expr).collect(Collectors.joining(", ")) + ")";
    }
    if (e instanceof Expr.Index ix) {
      return expr(ix.target()) + "[" + ix.subscripts().stream().map(AstPrinter::subscript).collect(Collectors.joining(", ")) + "]";
    }
    if (e instanceof Expr.If i) {
      return "(if " + expr(i.cond()) + " then " + expr(i.then()) + " else " + expr(i.otherwise()) + ")";
    }
    Expr.ListLit l = (Expr.ListLit) e;
    return "[" + l.items().stream().map(AstPrinter::expr).collect(Collectors.joining(", ")) + "]";
  }

  private static String subscript(Expr.Subscript s) {
    if (s.all()) return ":";
    if (s.at() != null) return expr(s.at());
    return expr(s.lo()) + ":" + expr(s.hi());
  }
}
