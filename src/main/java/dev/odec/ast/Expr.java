package dev.odec.ast;

import dev.odec.source.Span;
import java.util.List;

/** Expressions of the model language, each with the span of its source text. */
public sealed interface Expr {
  Span span();

  /** The direct subexpressions in source order (a subscript's position or slice bounds included). */
  default List<Expr> children() {
    if (this instanceof Unary u) return List.of(u.operand());
    if (this instanceof Binary b) return List.of(b.left(), b.right());
    if (this instanceof Call c) return c.args();
    if (this instanceof If i) return List.of(i.cond(), i.then(), i.otherwise());
    if (this instanceof ListLit l) return l.items();
    if (this instanceof Index ix) {
      List<Expr> out = new java.util.ArrayList<>();
      out.add(ix.target());
      for (Subscript s : ix.subscripts()) {
        for (Expr x : new Expr[] {s.at(), s.lo(), s.hi()}) if (x != null) out.add(x);
      }
      return out;
    }
    return List.of(); // Num, Name
  }

  record Num(double value, String text, Span span) implements Expr {}

  record Name(String name, Span span) implements Expr {}

  record Unary(UnOp op, Expr operand, Span span) implements Expr {}

  record Binary(BinOp op, Expr left, Expr right, Span span) implements Expr {}

  record Call(String name, Span nameSpan, List<Expr> args, Span span) implements Expr {}

  /** {@code target[i, j]}: each subscript is a position, a slice {@code lo:hi} or {@code :}. */
  record Index(Expr target, List<Subscript> subscripts, Span span) implements Expr {}

  record If(Expr cond, Expr then, Expr otherwise, Span span) implements Expr {}

  /** {@code [a, b, c]}; a list of lists is a matrix written by rows. */
  record ListLit(List<Expr> items, Span span) implements Expr {}

  /** One subscript: {@code at} alone, or a slice {@code lo:hi} (1-based, inclusive), or all. */
  record Subscript(Expr at, Expr lo, Expr hi, boolean all, Span span) {}

  enum UnOp {
    NEG("-"),
    NOT("not");

    public final String text;

    UnOp(String text) {
      this.text = text;
    }
  }

  enum BinOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MATMUL("@"), POW("^"),
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="), AND("and"), OR("or");

    public final String text;

    BinOp(String text) {
      this.text = text;
    }
  }
}
