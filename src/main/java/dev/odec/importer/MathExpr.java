package dev.odec.importer;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A formula read from SBML's MathML or from a PEtab table, before it is written as {@code .ode}
 * text. Names are the source's ids; {@link OdeText} renames them on output.
 */
sealed interface MathExpr {
  record Num(double value) implements MathExpr {}

  /** A reference to an id of the model or problem. */
  record Sym(String id) implements MathExpr {}

  /** The simulation time (SBML's time csymbol, PEtab's {@code time}). */
  record Time() implements MathExpr {}

  /**
   * An operation: {@code + - * / ^} (arithmetic), {@code neg}, {@code < <= > >= == !=},
   * {@code and or not}, {@code if} (condition, then, else) or a built-in function of the
   * language by its {@code .ode} name ({@code exp}, {@code log}, {@code min}, ...).
   */
  record Op(String op, List<MathExpr> args) implements MathExpr {
    public Op {
      args = List.copyOf(args);
    }
  }

  /** A call of a function definition of the model. */
  record Call(String fn, List<MathExpr> args) implements MathExpr {
    public Call {
      args = List.copyOf(args);
    }
  }

  static MathExpr op(String op, MathExpr... args) {
    return new Op(op, List.of(args));
  }

  /** The ids the expression mentions (function names of calls excluded). */
  static void symbols(MathExpr e, Set<String> out) {
    if (e instanceof Sym s) {
      out.add(s.id());
    } else if (e instanceof Op o) {
      for (MathExpr a : o.args()) symbols(a, out);
    } else if (e instanceof Call c) {
      for (MathExpr a : c.args()) symbols(a, out);
    }
  }

  /** Whether the expression mentions the time. */
  static boolean usesTime(MathExpr e) {
    if (e instanceof Time) return true;
    if (e instanceof Op o) return o.args().stream().anyMatch(MathExpr::usesTime);
    if (e instanceof Call c) return c.args().stream().anyMatch(MathExpr::usesTime);
    return false;
  }

  /** The expression with every symbol replaced by {@code f(id)} (null keeps it). */
  static MathExpr substitute(MathExpr e, Function<String, MathExpr> f) {
    if (e instanceof Sym s) {
      MathExpr r = f.apply(s.id());
      return r == null ? e : r;
    }
    if (e instanceof Op o) return new Op(o.op(), o.args().stream().map(a -> substitute(a, f)).toList());
    if (e instanceof Call c) return new Call(c.fn(), c.args().stream().map(a -> substitute(a, f)).toList());
    return e;
  }

  /** The expression with the time replaced by {@code value}. */
  static MathExpr atTime(MathExpr e, MathExpr value) {
    if (e instanceof Time) return value;
    if (e instanceof Op o) return new Op(o.op(), o.args().stream().map(a -> atTime(a, value)).toList());
    if (e instanceof Call c) return new Call(c.fn(), c.args().stream().map(a -> atTime(a, value)).toList());
    return e;
  }
}
