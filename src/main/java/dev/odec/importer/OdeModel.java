package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported model on its way to {@code .ode} text: every quantity of the source by id, with
 * what it becomes in the language (const, param, let or state), and the functions, events and
 * observables. {@link SbmlTranslator} fills it from SBML, {@link PetabImport} turns constants
 * into estimated params and adds observables, and {@link #render} writes the file.
 */
final class OdeModel {
  enum Kind { CONST, PARAM, LET, STATE }

  /** Where a quantity is written in the file. */
  enum Section {
    COMPARTMENTS("compartments (constant sizes)"),
    PARAMS("estimated parameters"),
    CONSTS("constants"),
    STATES("species and other state variables"),
    RULES("assignment rules"),
    FLUXES("reaction fluxes (amount per time)"),
    OBSERVABLES_HELPERS("observable helpers");

    final String title;

    Section(String title) {
      this.title = title;
    }
  }

  /**
   * One quantity. value: a const's or param's value, a let's expression, a state's initial value.
   * derivative: a state's d/dt (null for others). An expression value of a const is resolved when
   * rendering: if it depends on params it becomes a let, on states a state that stays constant.
   */
  static final class Quantity {
    final String id;
    Kind kind;
    Section section;
    MathExpr value;
    MathExpr derivative;
    final List<String> comments = new ArrayList<>();
    double lo = Double.NaN;
    double hi = Double.NaN;
    String scale;
    String prior;
    /** Set when the value came from an initial assignment (so it may not be overridden). */
    boolean computed;

    Quantity(String id, Kind kind, Section section, MathExpr value) {
      this.id = id;
      this.kind = kind;
      this.section = section;
      this.value = value;
    }
  }

  record Fn(String id, List<String> args, MathExpr body, List<String> comments) {}

  /** {@code at t = E: ...} when atTime, else {@code when lhs > rhs: ...} ({@code <} when !above). */
  record Event(boolean atTime, MathExpr lhs, boolean above, MathExpr rhs, List<SbmlModel.Assignment> assignments,
      String comment) {}

  record Observe(String name, String dist, List<MathExpr> args, String comment) {}

  final Names names = new Names();
  String name;
  final List<String> header = new ArrayList<>();
  final List<Fn> fns = new ArrayList<>();
  final Map<String, Quantity> quantities = new LinkedHashMap<>();
  final List<Event> events = new ArrayList<>();
  final List<Observe> observes = new ArrayList<>();
  /** Text for errors about the model (the SBML file). */
  String file = "";

  Quantity add(String id, Kind kind, Section section, MathExpr value) {
    Quantity q = new Quantity(id, kind, section, value);
    quantities.put(id, q);
    names.declare(id);
    return q;
  }

  Quantity get(String id) {
    return quantities.get(id);
  }

  /** The .ode name of an id. */
  String name(String id) {
    return names.of(id);
  }

  /**
   * Decides what each computed constant becomes (see {@link Quantity}); call once every kind is
   * final (after PEtab made its params).
   */
  void resolve() {
    Set<String> done = new HashSet<>();
    for (Quantity q : quantities.values()) resolve(q, done, new ArrayDeque<>());
  }

  private void resolve(Quantity q, Set<String> done, Deque<String> stack) {
    if (done.contains(q.id) || q.kind != Kind.CONST || q.value instanceof MathExpr.Num) {
      done.add(q.id);
      return;
    }
    if (stack.contains(q.id)) {
      throw InputError.input(file + ": the initial values of " + String.join(", ", stack) + " depend on each other in a cycle");
    }
    stack.push(q.id);
    q.value = initialValue(q.value, new ArrayDeque<>());
    Set<String> deps = new LinkedHashSet<>();
    MathExpr.symbols(q.value, deps);
    Kind kind = Kind.CONST;
    for (String d : deps) {
      Quantity dq = quantities.get(d);
      if (dq == null) continue;
      resolve(dq, done, stack);
      if (dq.kind == Kind.STATE) kind = Kind.STATE;
      else if ((dq.kind == Kind.PARAM || dq.kind == Kind.LET) && kind == Kind.CONST) kind = Kind.LET;
    }
    stack.pop();
    q.kind = kind;
    if (kind == Kind.STATE) {
      q.derivative = new MathExpr.Num(0);
      q.section = Section.STATES;
      q.comments.add("constant after t0: its initial assignment uses the initial values of states");
    } else if (kind == Kind.LET) {
      q.section = Section.RULES;
      q.comments.add("constant in time: its initial assignment uses estimated parameters");
    }
    done.add(q.id);
  }

  /**
   * An expression of values at t0 as the language's initial values may use them (params, consts,
   * other states): lets are replaced by their definitions at t = 0, recursively.
   */
  MathExpr initialValue(MathExpr e, Deque<String> stack) {
    MathExpr at0 = MathExpr.atTime(e, new MathExpr.Num(0));
    return MathExpr.substitute(at0, id -> {
      Quantity q = quantities.get(id);
      if (q == null || q.kind != Kind.LET) return null;
      if (stack.contains(id)) {
        throw InputError.input(file + ": the value of '" + id + "' at t0 depends on itself (through "
            + String.join(", ", stack) + ")");
      }
      stack.push(id);
      MathExpr v = initialValue(q.value, stack);
      stack.pop();
      return v;
    });
  }

  /** The model as {@code .ode} text. */
  String render() {
    OdeText text = new OdeText(names::of);
    StringBuilder sb = new StringBuilder();
    for (String h : header) sb.append(h.isEmpty() ? "#" : "# " + h).append('\n');
    sb.append("model ").append(name).append('\n');
    if (!fns.isEmpty()) {
      sb.append("\n# functions\n");
      for (Fn f : fns) {
        Names local = new Names();
        List<String> args = new ArrayList<>();
        for (String a : f.args()) args.add(local.declare(a));
        OdeText ft = new OdeText(id -> local.isDeclared(id) ? local.of(id) : names.of(id));
        line(sb, "fn " + names.of(f.id()) + "(" + String.join(", ", args) + ") = " + ft.write(f.body()), f.comments());
      }
    }
    for (Section s : Section.values()) {
      List<Quantity> qs = quantities.values().stream().filter(q -> q.section == s).toList();
      if (qs.isEmpty()) continue;
      sb.append("\n# ").append(s.title).append('\n');
      for (Quantity q : qs) {
        String n = names.of(q.id);
        String decl = switch (q.kind) {
          case CONST -> "const " + n + " = " + text.write(q.value);
          case PARAM -> param(q, n, text);
          case LET -> "let " + n + " = " + text.write(q.value);
          case STATE -> "state " + n + " = " + text.write(initialValue(q.value, new ArrayDeque<>()));
        };
        line(sb, decl, comments(q));
      }
    }
    List<Quantity> states = quantities.values().stream().filter(q -> q.kind == Kind.STATE).toList();
    if (!states.isEmpty()) {
      sb.append("\n# dynamics\n");
      for (Quantity q : states) line(sb, "d(" + names.of(q.id) + ")/dt = " + text.write(q.derivative), List.of());
    }
    if (!events.isEmpty()) {
      sb.append("\n# events\n");
      for (Event e : events) {
        StringBuilder a = new StringBuilder();
        for (SbmlModel.Assignment as : e.assignments()) {
          if (a.length() > 0) a.append(", ");
          a.append(names.of(as.variable())).append(" = ").append(text.write(as.math()));
        }
        String head = e.atTime() ? "at t = " + text.write(e.rhs())
            : "when " + text.write(e.lhs()) + (e.above() ? " > " : " < ") + text.write(e.rhs());
        line(sb, head + ": " + a, e.comment() == null ? List.of() : List.of(e.comment()));
      }
    }
    if (!observes.isEmpty()) {
      sb.append("\n# observables\n");
      for (Observe o : observes) {
        List<String> args = o.args().stream().map(text::write).toList();
        line(sb, "observe " + o.name() + " ~ " + o.dist() + "(" + String.join(", ", args) + ")",
            o.comment() == null ? List.of() : List.of(o.comment()));
      }
    }
    return sb.toString();
  }

  private List<String> comments(Quantity q) {
    List<String> out = new ArrayList<>();
    if (names.renamed(q.id) && q.id.indexOf('\u0000') < 0) out.add("SBML id " + q.id);
    out.addAll(q.comments);
    return out;
  }

  private static String param(Quantity q, String n, OdeText text) {
    StringBuilder sb = new StringBuilder("param ").append(n).append(" = ").append(text.write(q.value));
    if (!Double.isNaN(q.lo)) {
      sb.append(" in [").append(OdeText.number(q.lo)).append(", ").append(OdeText.number(q.hi)).append(']');
    }
    if (q.scale != null && !q.scale.equals("lin")) sb.append(" scale ").append(q.scale);
    if (q.prior != null) sb.append(" ~ ").append(q.prior);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String decl, List<String> comments) {
    sb.append(decl);
    List<String> cs = comments.stream().filter(c -> c != null && !c.isBlank()).toList();
    if (!cs.isEmpty()) sb.append("  # ").append(String.join("; ", cs).replace('\n', ' '));
    sb.append('\n');
  }
}
