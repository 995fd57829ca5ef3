package dev.odec.ast;

import dev.odec.source.Span;
import java.util.List;

/** The statements of a model file. {@code span} covers the statement's keyword. */
public sealed interface Decl {
  Span span();

  /** {@code real}, {@code real[n]} or {@code real[m, n]}; each dimension a literal or const name. */
  record TypeSpec(List<Expr> dims, Span span) {}

  /** {@code DIST(args)} in an observe, prior or flow. */
  record Dist(String name, Span nameSpan, List<Expr> args, Span span) {}

  record Param(String name, Span nameSpan, TypeSpec type, Expr value, Expr lo, Expr hi,
      String scale, Span scaleSpan, Dist prior, Span span) implements Decl {}

  record Const(String name, Span nameSpan, TypeSpec type, Expr value, Span span) implements Decl {}

  record State(String name, Span nameSpan, TypeSpec type, Expr value, Span span) implements Decl {}

  record Let(String name, Span nameSpan, Expr value, Span span) implements Decl {}

  record Fn(String name, Span nameSpan, List<String> params, List<Span> paramSpans, Expr body, Span span)
      implements Decl {}

  record Deriv(String state, Span stateSpan, Expr value, Span span) implements Decl {}

  /** One species term of a reaction side: {@code 2 A}. */
  record Species(String name, int coeff, Span span) {}

  record Reaction(String name, List<Species> lhs, List<Species> rhs, boolean reversible, Expr flux, Span span)
      implements Decl {}

  record Observe(String name, Span nameSpan, Dist dist, Span span) implements Decl {}

  record Rate(String name, Span nameSpan, Expr value, Span span) implements Decl {}

  record Flow(String name, Span nameSpan, Dist dist, Span span) implements Decl {}

  record Import(String module, boolean isPath, Span span) implements Decl {}

  /** {@code NAME = EXPR} in an event: the state NAME jumps to EXPR. */
  record Assignment(String target, Span targetSpan, Expr value) {}

  /**
   * A time event {@code at t = time [every period [until until]]: assignments}; period and
   * until are null when absent.
   */
  record At(Expr time, Expr period, Expr until, List<Assignment> assignments, Span span) implements Decl {}

  /** A state event {@code when cond: assignments}, cond a comparison {@code A > B} or {@code A < B}. */
  record When(Expr cond, List<Assignment> assignments, Span span) implements Decl {}
}
