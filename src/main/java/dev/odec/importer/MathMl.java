package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SBML's subset of content MathML (SBML Level 3 Version 2 §3.4) into {@link MathExpr}:
 * numbers ({@code cn} of every type), identifiers, the time csymbol, {@code piecewise}, the
 * arithmetic, relational and logical operators, and the elementary functions, written with the
 * language's built-ins (functions it lacks through their identities, e.g. {@code sec x = 1/cos x},
 * {@code arcsinh x = log(x + sqrt(x^2 + 1))}). The {@code delay} and {@code rateOf} csymbols and
 * {@code factorial}, {@code rem}, {@code quotient} are errors naming where they occur.
 */
final class MathMl {
  private static final String TIME = "http://www.sbml.org/sbml/symbols/time";
  private static final String DELAY = "http://www.sbml.org/sbml/symbols/delay";
  private static final String AVOGADRO = "http://www.sbml.org/sbml/symbols/avogadro";
  private static final String RATE_OF = "http://www.sbml.org/sbml/symbols/rateOf";

  private final String file;
  /** What the formula belongs to, for messages: "the kinetic law of reaction 'v1'". */
  private final String owner;

  private MathMl(String file, String owner) {
    this.file = file;
    this.owner = owner;
  }

  /** The formula of a {@code math} element (its single child). */
  static MathExpr read(Xml.Element math, String file, String owner) {
    MathMl m = new MathMl(file, owner);
    List<Xml.Element> kids = m.content(math);
    if (kids.size() != 1) throw m.error(math, "a math element must hold exactly one expression, it holds " + kids.size());
    return m.expr(kids.get(0));
  }

  /** A function definition's {@code lambda}: its argument names and body. */
  static Lambda lambda(Xml.Element math, String file, String owner) {
    MathMl m = new MathMl(file, owner);
    List<Xml.Element> kids = m.content(math);
    Xml.Element lam = kids.size() == 1 ? kids.get(0) : null;
    if (lam != null && lam.name().equals("semantics")) lam = m.content(lam).get(0);
    if (lam == null || !lam.name().equals("lambda")) throw m.error(math, "a function definition needs a lambda element");
    List<String> args = new ArrayList<>();
    MathExpr body = null;
    for (Xml.Element c : m.content(lam)) {
      if (c.name().equals("bvar")) {
        Xml.Element ci = c.child("ci");
        if (ci == null) throw m.error(c, "a bvar must hold a ci element");
        args.add(ci.text().strip());
      } else if (body == null) {
        body = m.expr(c);
      } else {
        throw m.error(c, "a lambda has one body");
      }
    }
    if (body == null) throw m.error(lam, "the lambda has no body");
    return new Lambda(args, body);
  }

  record Lambda(List<String> args, MathExpr body) {}

  private List<Xml.Element> content(Xml.Element e) {
    List<Xml.Element> out = new ArrayList<>();
    for (Xml.Element c : e.children()) if (!c.name().equals("annotation") && !c.name().equals("annotation-xml")) out.add(c);
    return out;
  }

  private InputError error(Xml.Element at, String message) {
    return InputError.at(file, at.line(), at.col(), owner + ": " + message);
  }

  private MathExpr expr(Xml.Element e) {
    switch (e.name()) {
      case "cn":
        return new MathExpr.Num(number(e));
      case "ci":
        return new MathExpr.Sym(e.text().strip());
      case "csymbol": {
        String url = e.attr("definitionURL");
        if (TIME.equals(url)) return new MathExpr.Time();
        if (AVOGADRO.equals(url)) return new MathExpr.Num(6.02214076e23);
        if (DELAY.equals(url)) throw error(e, "delay() is not supported (odec has no delay differential equations)");
        if (RATE_OF.equals(url)) throw error(e, "rateOf() is not supported");
        throw error(e, "unknown csymbol '" + url + "'");
      }
      case "true":
        return MathExpr.op("==", new MathExpr.Num(1), new MathExpr.Num(1));
      case "false":
        return MathExpr.op("==", new MathExpr.Num(0), new MathExpr.Num(1));
      case "pi":
        return new MathExpr.Op("pi", List.of());
      case "exponentiale":
        return MathExpr.op("exp", new MathExpr.Num(1));
      case "infinity":
        return new MathExpr.Num(Double.POSITIVE_INFINITY);
      case "notanumber":
        throw error(e, "NaN (notanumber) cannot be written in a model");
      case "semantics":
        return expr(content(e).get(0));
      case "piecewise":
        return piecewise(e);
      case "apply":
        return apply(e);
      default:
        throw error(e, "the MathML element <" + e.name() + "> is not supported");
    }
  }

  private double number(Xml.Element e) {
    String type = e.attr("type") == null ? "real" : e.attr("type");
    String[] parts = e.text().strip().split("\\s+");
    try {
      switch (type) {
        case "real", "integer", "double" -> {
          return parse(parts[0]);
        }
        case "e-notation" -> {
          return Double.parseDouble(parts[0] + "e" + parts[1]);
        }
        case "rational" -> {
          return parse(parts[0]) / parse(parts[1]);
        }
        default -> throw error(e, "unknown cn type '" + type + "'");
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException ex) {
      throw error(e, "'" + e.text().strip() + "' is not a number of type " + type);
    }
  }

  private static double parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "inf", "infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private MathExpr piecewise(Xml.Element e) {
    List<MathExpr[]> pieces = new ArrayList<>();
    MathExpr otherwise = null;
    for (Xml.Element c : content(e)) {
      List<Xml.Element> k = content(c);
      if (c.name().equals("piece")) {
        if (k.size() != 2) throw error(c, "a piece needs a value and a condition");
        pieces.add(new MathExpr[] {expr(k.get(0)), expr(k.get(1))});
      } else if (c.name().equals("otherwise")) {
        if (k.size() != 1) throw error(c, "otherwise needs one value");
        otherwise = expr(k.get(0));
      } else {
        throw error(c, "unexpected <" + c.name() + "> in piecewise");
      }
    }
    if (otherwise == null) {
      // SBML leaves the value undefined when no piece applies; a simulator must not reach it
      otherwise = new MathExpr.Num(Double.NaN);
    }
    MathExpr out = otherwise;
    for (int i = pieces.size() - 1; i >= 0; i--) out = MathExpr.op("if", pieces.get(i)[1], pieces.get(i)[0], out);
    if (pieces.isEmpty() && Double.isNaN(((MathExpr.Num) out).value())) throw error(e, "an empty piecewise");
    return out;
  }

  private MathExpr apply(Xml.Element e) {
    List<Xml.Element> k = content(e);
    if (k.isEmpty()) throw error(e, "an empty apply");
    Xml.Element head = k.get(0);
    Xml.Element degree = null;
    Xml.Element logbase = null;
    List<MathExpr> a = new ArrayList<>();
    for (Xml.Element c : k.subList(1, k.size())) {
      if (c.name().equals("degree")) degree = content(c).get(0);
      else if (c.name().equals("logbase")) logbase = content(c).get(0);
      else a.add(expr(c));
    }
    String op = head.name();
    if (op.equals("ci")) return new MathExpr.Call(head.text().strip(), a);
    if (op.equals("csymbol")) {
      String url = head.attr("definitionURL");
      if (DELAY.equals(url)) throw error(head, "delay() is not supported (odec has no delay differential equations)");
      if (RATE_OF.equals(url)) throw error(head, "rateOf() is not supported");
      throw error(head, "unknown csymbol function '" + url + "'");
    }
    switch (op) {
      case "plus":
        return a.isEmpty() ? new MathExpr.Num(0) : a.size() == 1 ? a.get(0) : new MathExpr.Op("+", a);
      case "times":
        return a.isEmpty() ? new MathExpr.Num(1) : a.size() == 1 ? a.get(0) : new MathExpr.Op("*", a);
      case "minus":
        if (a.size() == 1) return MathExpr.op("neg", a.get(0));
        return new MathExpr.Op("-", arity(head, a, 2));
      case "divide":
        return new MathExpr.Op("/", arity(head, a, 2));
      case "power":
        return new MathExpr.Op("^", arity(head, a, 2));
      case "root": {
        arity(head, a, 1);
        if (degree == null) return MathExpr.op("sqrt", a.get(0));
        MathExpr d = expr(degree);
        if (d instanceof MathExpr.Num n && n.value() == 2) return MathExpr.op("sqrt", a.get(0));
        return MathExpr.op("^", a.get(0), MathExpr.op("/", new MathExpr.Num(1), d));
      }
      case "log": {
        arity(head, a, 1);
        MathExpr b = logbase == null ? new MathExpr.Num(10) : expr(logbase);
        if (b instanceof MathExpr.Num n && n.value() == 10) return MathExpr.op("log10", a.get(0));
        return MathExpr.op("/", MathExpr.op("log", a.get(0)), MathExpr.op("log", b));
      }
      case "ln":
        return MathExpr.op("log", one(head, a));
      case "exp", "abs", "floor", "sin", "cos", "tan", "sinh", "cosh", "tanh":
        return MathExpr.op(op, one(head, a));
      case "ceiling":
        return MathExpr.op("ceil", one(head, a));
      case "arcsin", "arccos", "arctan":
        return MathExpr.op(op.replace("arc", "a"), one(head, a));
      case "sec", "csc", "cot", "sech", "csch", "coth": {
        String base = switch (op) {
          case "sec" -> "cos";
          case "csc" -> "sin";
          case "cot" -> "tan";
          case "sech" -> "cosh";
          case "csch" -> "sinh";
          default -> "tanh";
        };
        return MathExpr.op("/", new MathExpr.Num(1), MathExpr.op(base, one(head, a)));
      }
      case "arcsec", "arccsc", "arccot": {
        MathExpr inv = MathExpr.op("/", new MathExpr.Num(1), one(head, a));
        return MathExpr.op(op.equals("arcsec") ? "acos" : op.equals("arccsc") ? "asin" : "atan", inv);
      }
      case "arcsinh", "arccosh", "arctanh", "arcsech", "arccsch", "arccoth":
        return inverseHyperbolic(op, one(head, a));
      case "min", "max": {
        if (a.isEmpty()) throw error(head, op + " needs arguments");
        MathExpr out = a.get(0);
        for (int i = 1; i < a.size(); i++) out = MathExpr.op(op, out, a.get(i));
        return out;
      }
      case "eq", "neq", "gt", "lt", "geq", "leq": {
        String rel = switch (op) {
          case "eq" -> "==";
          case "neq" -> "!=";
          case "gt" -> ">";
          case "lt" -> "<";
          case "geq" -> ">=";
          default -> "<=";
        };
        if (a.size() < 2) throw error(head, op + " needs two or more arguments");
        MathExpr out = null;
        for (int i = 0; i + 1 < a.size(); i++) {
          MathExpr c = MathExpr.op(rel, a.get(i), a.get(i + 1));
          out = out == null ? c : MathExpr.op("and", out, c);
        }
        return out;
      }
      case "and", "or": {
        if (a.isEmpty()) return MathExpr.op("==", new MathExpr.Num(op.equals("and") ? 1 : 0), new MathExpr.Num(1));
        return a.size() == 1 ? a.get(0) : new MathExpr.Op(op, a);
      }
      case "xor": {
        MathExpr out = a.get(0);
        for (int i = 1; i < a.size(); i++) {
          MathExpr b = a.get(i);
          out = MathExpr.op("or", MathExpr.op("and", out, MathExpr.op("not", b)), MathExpr.op("and", MathExpr.op("not", out), b));
        }
        return out;
      }
      case "not":
        return MathExpr.op("not", one(head, a));
      case "implies":
        arity(head, a, 2);
        return MathExpr.op("or", MathExpr.op("not", a.get(0)), a.get(1));
      default:
        throw error(head, "the MathML operator <" + op + "> is not supported");
    }
  }

  private MathExpr inverseHyperbolic(String op, MathExpr x) {
    MathExpr one = new MathExpr.Num(1);
    MathExpr y = switch (op) {
      case "arcsech", "arccsch", "arccoth" -> MathExpr.op("/", one, x);
      default -> x;
    };
    String base = op.replace("sech", "cosh").replace("csch", "sinh").replace("coth", "tanh");
    return switch (base) {
      // asinh y = log(y + sqrt(y^2 + 1)); acosh y = log(y + sqrt(y^2 - 1)); atanh y = log((1 + y)/(1 - y))/2
      case "arcsinh" -> MathExpr.op("log", MathExpr.op("+", y, MathExpr.op("sqrt",
          MathExpr.op("+", MathExpr.op("^", y, new MathExpr.Num(2)), one))));
      case "arccosh" -> MathExpr.op("log", MathExpr.op("+", y, MathExpr.op("sqrt",
          MathExpr.op("-", MathExpr.op("^", y, new MathExpr.Num(2)), one))));
      default -> MathExpr.op("/", MathExpr.op("log", MathExpr.op("/", MathExpr.op("+", one, y),
          MathExpr.op("-", one, y))), new MathExpr.Num(2));
    };
  }

  private MathExpr one(Xml.Element head, List<MathExpr> a) {
    return arity(head, a, 1).get(0);
  }

  private List<MathExpr> arity(Xml.Element head, List<MathExpr> a, int n) {
    if (a.size() != n) {
      throw error(head, "<" + head.name() + "> takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + a.size());
    }
    return a;
  }
}
