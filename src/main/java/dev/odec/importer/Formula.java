package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the math of PEtab's tables (observable and noise formulas), which PEtab v1 writes in
 * the infix syntax of sympy: numbers, ids, {@code + - * /}, powers {@code ^} or {@code **}
 * (right-associative, binding tighter than unary minus), parentheses and function calls
 * ({@code exp}, {@code log} with one argument (natural) or two (base second), {@code ln},
 * {@code log10}, {@code log2}, {@code sqrt}, {@code abs}, trigonometric and hyperbolic functions,
 * {@code min}, {@code max}, {@code pow}). {@code time} is the simulation time.
 */
final class Formula {
  private final String text;
  private final String file;
  private final int line;
  private final int col;
  private int pos;

  private Formula(String text, String file, int line, int col) {
    this.text = text;
    this.file = file;
    this.line = line;
    this.col = col;
  }

  /** Parses {@code text}, the cell at file:line:col (errors point into the cell). */
  static MathExpr parse(String text, String file, int line, int col) {
    Formula f = new Formula(text, file, line, col);
    MathExpr e = f.sum();
    f.skip();
    if (f.pos < text.length()) throw f.error("unexpected '" + text.charAt(f.pos) + "'");
    return e;
  }

  private InputError error(String message) {
    return InputError.at(file, line, col + pos, message + " in the formula '" + text + "'");
  }

  private void skip() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private boolean eat(String s) {
    skip();
    if (text.startsWith(s, pos)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  private MathExpr sum() {
    MathExpr left = product();
    while (true) {
      if (eat("+")) left = MathExpr.op("+", left, product());
      else if (eat("-")) left = MathExpr.op("-", left, product());
      else return left;
    }
  }

  private MathExpr product() {
    MathExpr left = unary();
    while (true) {
      skip();
      if (text.startsWith("**", pos)) return left;
      if (eat("*")) left = MathExpr.op("*", left, unary());
      else if (eat("/")) left = MathExpr.op("/", left, unary());
      else return left;
    }
  }

  private MathExpr unary() {
    if (eat("-")) {
      MathExpr x = unary();
      return x instanceof MathExpr.Num n ? new MathExpr.Num(-n.value()) : MathExpr.op("neg", x);
    }
    if (eat("+")) return unary();
    return power();
  }

  private MathExpr power() {
    MathExpr base = atom();
    if (eat("**") || eat("^")) return MathExpr.op("^", base, unary());
    return base;
  }

  private MathExpr atom() {
    skip();
    if (pos >= text.length()) throw error("the formula ends too early");
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      MathExpr e = sum();
      if (!eat(")")) throw error("a ')' is missing");
      return e;
    }
    if (Character.isDigit(c) || c == '.') return number();
    if (Character.isLetter(c) || c == '_') {
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
      String id = text.substring(start, pos);
      skip();
      if (pos < text.length() && text.charAt(pos) == '(') {
        int at = start;
        pos++;
        List<MathExpr> args = new ArrayList<>();
        if (!eat(")")) {
          do {
            args.add(sum());
          } while (eat(","));
          if (!eat(")")) throw error("a ')' is missing after the arguments of " + id);
        }
        return call(id, args, at);
      }
      return switch (id) {
        case "time", "t" -> id.equals("time") ? new MathExpr.Time() : new MathExpr.Sym(id);
        case "pi" -> new MathExpr.Op("pi", List.of());
        case "inf", "oo" -> new MathExpr.Num(Double.POSITIVE_INFINITY);
        default -> new MathExpr.Sym(id);
      };
    }
    throw error("unexpected '" + c + "'");
  }

  private MathExpr number() {
    int start = pos;
    while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) pos++;
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      } else {
        pos = save;
      }
    }
    try {
      return new MathExpr.Num(Double.parseDouble(text.substring(start, pos)));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("'" + text.substring(start) + "' is not a number");
    }
  }

  private MathExpr call(String fn, List<MathExpr> a, int at) {
    int n = a.size();
    String f = fn.toLowerCase(Locale.ROOT);
    switch (f) {
      case "exp", "sqrt", "abs", "sin", "cos", "tan", "sinh", "cosh", "tanh", "floor", "log10" -> {
        arity(fn, n, 1, at);
        return MathExpr.op(f, a.get(0));
      }
      case "ln" -> {
        arity(fn, n, 1, at);
        return MathExpr.op("log", a.get(0));
      }
      case "log" -> {
        if (n == 2) return MathExpr.op("/", MathExpr.op("log", a.get(0)), MathExpr.op("log", a.get(1)));
        arity(fn, n, 1, at);
        return MathExpr.op("log", a.get(0));
      }
      case "log2" -> {
        arity(fn, n, 1, at);
        return MathExpr.op("/", MathExpr.op("log", a.get(0)), MathExpr.op("log", new MathExpr.Num(2)));
      }
      case "asin", "acos", "atan", "arcsin", "arccos", "arctan" -> {
        arity(fn, n, 1, at);
        return MathExpr.op(f.startsWith("arc") ? f.replace("arc", "a") : f, a.get(0));
      }
      case "ceil", "ceiling" -> {
        arity(fn, n, 1, at);
        return MathExpr.op("ceil", a.get(0));
      }
      case "pow" -> {
        arity(fn, n, 2, at);
        return MathExpr.op("^", a.get(0), a.get(1));
      }
      case "min", "max" -> {
        if (n < 1) arity(fn, n, 2, at);
        MathExpr out = a.get(0);
        for (int i = 1; i < n; i++) out = MathExpr.op(f, out, a.get(i));
        return out;
      }
      default -> {
        pos = at;
        throw error("unknown function '" + fn + "'");
      }
    }
  }

  private void arity(String fn, int got, int want, int at) {
    if (got == want) return;
    pos = at;
    throw error(fn + "() takes " + want + " argument" + (want == 1 ? "" : "s") + ", got " + got);
  }
}
