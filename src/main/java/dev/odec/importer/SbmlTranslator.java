package dev.odec.importer;

import dev.odec.importer.OdeModel.Kind;
import dev.odec.importer.OdeModel.Quantity;
import dev.odec.importer.OdeModel.Section;
import dev.odec.runtime.InputError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an SBML model into an {@link OdeModel}, with SBML's meaning (SBML Level 3 Version 2
 * core, §4):
 *
 * <ul>
 *   <li>a compartment is a const holding its (constant) size;
 *   <li>a species is a state holding its concentration, or its amount when
 *       {@code hasOnlySubstanceUnits}; a reaction's rate is an amount per time, so a species in
 *       concentration changes by d[S]/dt = (Σ_r ν_{S,r} v_r) / V_S, with V_S the size of its
 *       compartment; boundary species are not changed by reactions, constant species are consts;
 *   <li>a parameter is a const, a state when a rate rule or an event changes it, a let when an
 *       assignment rule defines it; an initial assignment gives a const's or state's value at t0;
 *   <li>each reaction's rate is a let named after the reaction (local parameters become consts
 *       named {@code REACTION_PARAM}), and each species' d/dt sums them with its stoichiometry;
 *   <li>function definitions become {@code fn}s, events become {@code at}/{@code when} statements.
 * </ul>
 *
 * Errors name the element and its id: variable compartments, an event whose trigger is not a
 * crossing of two expressions, events with priorities, a trigger that may fire at t0
 * ({@code initialValue="false"}, unless it is a time trigger), rules on undeclared ids.
 */
final class SbmlTranslator {
  private final SbmlModel m;
  private final OdeModel out = new OdeModel();
  private final Map<String, MathExpr> assignmentRules = new LinkedHashMap<>();
  private final Map<String, SbmlModel.Rule> rateRules = new LinkedHashMap<>();
  private final Map<String, SbmlModel.Rule> ruleOf = new HashMap<>();
  private final Set<String> eventTargets = new HashSet<>();
  private final Map<String, SbmlModel.Compartment> compartments = new LinkedHashMap<>();
  private final Map<String, SbmlModel.Species> species = new LinkedHashMap<>();

  private SbmlTranslator(SbmlModel m) {
    this.m = m;
  }

  static OdeModel translate(SbmlModel m) {
    return new SbmlTranslator(m).run();
  }

  private InputError error(SbmlModel.Origin o, String message) {
    return InputError.at(m.file(), o.line(), o.col(), message);
  }

  private OdeModel run() {
    out.file = m.file();
    out.name = m.id().isEmpty() ? "model" : out.names.fresh(m.id());
    out.header.add("Translated by odec import from the SBML model " + (m.id().isEmpty() ? "" : "'" + m.id() + "' ")
        + "in " + java.nio.file.Path.of(m.file()).getFileName() + ".");
    if (!m.name().isEmpty() && !m.name().equals(m.id())) out.header.add("Name: " + m.name());
    for (String l : m.notes().split("\n")) if (!l.isBlank()) out.header.add(l.strip());
    out.header.add("States are concentrations (amounts for species with hasOnlySubstanceUnits); reaction fluxes "
        + "are amounts per time.");

    for (SbmlModel.Rule r : m.rules()) {
      if (ruleOf.putIfAbsent(r.variable(), r) != null) {
        throw error(r.origin(), r.origin().element() + " for '" + r.variable() + "': it already has a rule");
      }
      if (r.rate()) rateRules.put(r.variable(), r);
      else assignmentRules.put(r.variable(), r.math());
    }
    for (SbmlModel.Event e : m.events()) for (SbmlModel.Assignment a : e.assignments()) eventTargets.add(a.variable());

    for (SbmlModel.FunctionDef f : m.functions()) {
      out.names.declare(f.id());
      out.fns.add(new OdeModel.Fn(f.id(), f.args(), f.body(), describe(f.origin())));
    }
    for (SbmlModel.Compartment c : m.compartments()) compartment(c);
    for (SbmlModel.Species s : m.species()) species.put(s.id(), s);
    for (SbmlModel.Species s : m.species()) species(s);
    for (SbmlModel.Parameter p : m.parameters()) parameter(p);
    for (SbmlModel.Reaction r : m.reactions()) reaction(r);
    balances();
    for (String v : ruleOf.keySet()) {
      if (out.get(v) == null) {
        SbmlModel.Rule r = ruleOf.get(v);
        throw error(r.origin(), r.origin().element() + " for '" + v + "': no compartment, species or parameter has "
            + "that id (rules on species references' stoichiometries are not supported)");
      }
    }
    for (String v : m.initialAssignments().keySet()) {
      if (out.get(v) == null) {
        throw InputError.input(m.file() + ": the initialAssignment to '" + v + "' names no compartment, species or "
            + "parameter (assignments to species references' stoichiometries are not supported)");
      }
    }
    for (SbmlModel.Event e : m.events()) event(e);
    return out;
  }

  private List<String> describe(SbmlModel.Origin o) {
    List<String> c = new ArrayList<>();
    if (!o.name().isEmpty() && !o.name().equals(o.id())) c.add(o.name());
    if (!o.notes().isEmpty()) {
      String first = o.notes().split("\n")[0].strip();
      c.add(first.length() > 100 ? first.substring(0, 97) + "..." : first);
    }
    return c;
  }

  private void compartment(SbmlModel.Compartment c) {
    SbmlModel.Origin o = c.origin();
    if (ruleOf.containsKey(c.id()) || eventTargets.contains(c.id())) {
      throw error(o, o.describe() + " changes in time (" + (eventTargets.contains(c.id()) ? "an event assigns it"
          : "a " + ruleOf.get(c.id()).origin().element() + " defines it") + "): variable compartments are not supported");
    }
    compartments.put(c.id(), c);
    MathExpr ia = m.initialAssignments().get(c.id());
    Quantity q;
    if (ia != null) {
      q = out.add(c.id(), Kind.CONST, Section.COMPARTMENTS, ia);
      q.computed = true;
    } else {
      q = out.add(c.id(), Kind.CONST, Section.COMPARTMENTS, new MathExpr.Num(Double.isNaN(c.size()) ? 1 : c.size()));
      if (Double.isNaN(c.size())) q.comments.add("no size in the file: 1");
    }
    q.comments.addAll(describe(o));
  }

  private void species(SbmlModel.Species s) {
    SbmlModel.Origin o = s.origin();
    SbmlModel.Compartment c = compartments.get(s.compartment());
    if (c == null) throw error(o, o.describe() + " is in compartment '" + s.compartment() + "', which is not declared");
    MathExpr volume = new MathExpr.Sym(c.id());
    List<String> comments = new ArrayList<>(describe(o));
    comments.add((s.hasOnlySubstanceUnits() ? "amount" : "concentration") + " in " + c.id()
        + (s.boundaryCondition() ? ", boundary species" : ""));
    MathExpr rule = assignmentRules.get(s.id());
    if (rule != null) {
      Quantity q = out.add(s.id(), Kind.LET, Section.RULES, rule);
      q.comments.addAll(comments);
      return;
    }
    MathExpr init = m.initialAssignments().get(s.id());
    boolean computed = init != null;
    if (init == null) {
      double amount = s.initialAmount();
      double conc = s.initialConcentration();
      if (!Double.isNaN(conc)) {
        init = s.hasOnlySubstanceUnits() ? MathExpr.op("*", new MathExpr.Num(conc), volume) : new MathExpr.Num(conc);
      } else if (!Double.isNaN(amount)) {
        init = s.hasOnlySubstanceUnits() ? new MathExpr.Num(amount) : MathExpr.op("/", new MathExpr.Num(amount), volume);
      } else if (!rateRules.containsKey(s.id())) {
        throw error(o, o.describe() + " has no initial amount, concentration or assignment");
      } else {
        throw error(o, o.describe() + " has a rate rule but no initial value");
      }
    }
    if (s.constant() && !eventTargets.contains(s.id()) && !rateRules.containsKey(s.id())) {
      Quantity q = out.add(s.id(), Kind.CONST, Section.CONSTS, init);
      q.computed = computed || !(init instanceof MathExpr.Num);
      q.comments.addAll(comments);
      q.comments.add("constant species");
      return;
    }
    Quantity q = out.add(s.id(), Kind.STATE, Section.STATES, init);
    q.computed = computed;
    q.comments.addAll(comments);
    SbmlModel.Rule rr = rateRules.get(s.id());
    if (rr != null) q.derivative = rr.math();
  }

  private void parameter(SbmlModel.Parameter p) {
    SbmlModel.Origin o = p.origin();
    List<String> comments = describe(o);
    MathExpr rule = assignmentRules.get(p.id());
    if (rule != null) {
      out.add(p.id(), Kind.LET, Section.RULES, rule).comments.addAll(comments);
      return;
    }
    MathExpr init = m.initialAssignments().get(p.id());
    boolean computed = init != null;
    if (init == null) {
      if (Double.isNaN(p.value())) throw error(o, o.describe() + " has no value and no initial assignment or rule");
      init = new MathExpr.Num(p.value());
    }
    SbmlModel.Rule rr = rateRules.get(p.id());
    if (rr != null || eventTargets.contains(p.id())) {
      Quantity q = out.add(p.id(), Kind.STATE, Section.STATES, init);
      q.computed = computed;
      q.derivative = rr != null ? rr.math() : new MathExpr.Num(0);
      q.comments.addAll(comments);
      q.comments.add(rr != null ? "parameter with a rate rule" : "parameter changed by events");
      return;
    }
    Quantity q = out.add(p.id(), Kind.CONST, Section.CONSTS, init);
    q.computed = computed;
    q.comments.addAll(comments);
  }

  /** Net stoichiometry per species and reaction, in reaction order. */
  private final Map<String, Map<String, Double>> net = new LinkedHashMap<>();

  private void reaction(SbmlModel.Reaction r) {
    SbmlModel.Origin o = r.origin();
    Map<String, MathExpr> locals = new HashMap<>();
    for (Map.Entry<String, Double> lp : r.localParameters().entrySet()) {
      String id = r.id() + "\u0000" + lp.getKey();
      out.names.declare(id); // reserve before naming, so the name is unique
      Quantity q = new Quantity(id, Kind.CONST, Section.CONSTS, new MathExpr.Num(lp.getValue()));
      out.quantities.put(id, q);
      q.comments.add("local parameter '" + lp.getKey() + "' of reaction '" + r.id() + "'");
      locals.put(lp.getKey(), new MathExpr.Sym(id));
    }
    MathExpr rate = locals.isEmpty() ? r.rate() : MathExpr.substitute(r.rate(), locals::get);
    Quantity q = out.add(r.id(), Kind.LET, Section.FLUXES, rate);
    q.comments.addAll(describe(o));
    q.comments.add(equation(r));
    for (SbmlModel.SpeciesReference sr : r.reactants()) stoich(r, sr, -1);
    for (SbmlModel.SpeciesReference sr : r.products()) stoich(r, sr, +1);
  }

  private void stoich(SbmlModel.Reaction r, SbmlModel.SpeciesReference sr, int sign) {
    SbmlModel.Species s = species.get(sr.species());
    if (s == null) {
      throw error(r.origin(), r.origin().describe() + " uses species '" + sr.species() + "', which is not declared");
    }
    if (s.boundaryCondition() || s.constant()) return; // reactions do not change them (SBML L3V2 §4.6.6)
    net.computeIfAbsent(s.id(), k -> new LinkedHashMap<>()).merge(r.id(), sign * sr.stoichiometry(), Double::sum);
  }

  private static String equation(SbmlModel.Reaction r) {
    return side(r.reactants()) + " -> " + side(r.products());
  }

  private static String side(List<SbmlModel.SpeciesReference> refs) {
    if (refs.isEmpty()) return "0";
    List<String> parts = new ArrayList<>();
    for (SbmlModel.SpeciesReference s : refs) {
      parts.add((s.stoichiometry() == 1 ? "" : OdeText.number(s.stoichiometry()) + " ") + s.species());
    }
    return String.join(" + ", parts);
  }

  /** Each reacting species' d/dt: (Σ ν v) / V for concentrations, Σ ν v for amounts. */
  private void balances() {
    for (SbmlModel.Species s : m.species()) {
      Quantity q = out.get(s.id());
      if (q.kind != Kind.STATE) continue;
      Map<String, Double> terms = net.getOrDefault(s.id(), Map.of());
      boolean reacts = terms.values().stream().anyMatch(v -> v != 0);
      if (q.derivative != null) {
        if (reacts) {
          throw error(s.origin(), s.origin().describe() + " has a rate rule and takes part in reactions; SBML allows "
              + "that only for boundary species (boundaryCondition=\"true\")");
        }
        continue;
      }
      MathExpr sum = null;
      for (Map.Entry<String, Double> t : terms.entrySet()) {
        double nu = t.getValue();
        if (nu == 0) continue;
        MathExpr v = new MathExpr.Sym(t.getKey());
        if (sum == null) {
          // the first term carries its sign: -v or -2*v
          sum = nu == 1 ? v : nu == -1 ? MathExpr.op("neg", v) : MathExpr.op("*", new MathExpr.Num(nu), v);
        } else {
          MathExpr term = Math.abs(nu) == 1 ? v : MathExpr.op("*", new MathExpr.Num(Math.abs(nu)), v);
          sum = MathExpr.op(nu < 0 ? "-" : "+", sum, term);
        }
      }
      if (sum == null) {
        q.derivative = new MathExpr.Num(0);
      } else {
        q.derivative = s.hasOnlySubstanceUnits() ? sum : MathExpr.op("/", sum, new MathExpr.Sym(s.compartment()));
      }
    }
  }

  private void event(SbmlModel.Event e) {
    SbmlModel.Origin o = e.origin();
    if (e.hasPriority() && m.events().size() > 1) {
      throw error(o, o.describe() + " has a priority: odec applies simultaneous events in the order written and cannot "
          + "honour SBML priorities");
    }
    for (SbmlModel.Assignment a : e.assignments()) {
      Quantity q = out.get(a.variable());
      if (q == null) throw error(o, o.describe() + " assigns '" + a.variable() + "', which is not declared");
      if (q.kind != Kind.STATE) {
        throw error(o, o.describe() + " assigns '" + a.variable() + "', which "
            + (q.kind == Kind.LET ? "an assignment rule defines" : "is constant"));
      }
    }
    MathExpr trig = e.trigger();
    if (!(trig instanceof MathExpr.Op op) || op.args().size() != 2
        || !List.of(">", ">=", "<", "<=").contains(op.op())) {
      throw error(o, o.describe() + ": its trigger is not a comparison of two expressions (>, >=, <, <=); odec "
          + "writes an event as 'when A > B' or 'at t = E'");
    }
    MathExpr a = op.args().get(0);
    MathExpr b = op.args().get(1);
    boolean above = op.op().startsWith(">");
    // time triggers: t >= E or E <= t, with E free of states and time
    boolean timeLeft = a instanceof MathExpr.Time && above && isTimeConstant(b);
    boolean timeRight = b instanceof MathExpr.Time && !above && isTimeConstant(a);
    if (!e.initialValue() && !timeLeft && !timeRight) {
      throw error(o, o.describe() + " has initialValue=\"false\" (it fires at t0 if its trigger is true then); "
          + "odec never fires a state event at t0, so this cannot be honoured");
    }
    String comment = String.join("; ", describe(o));
    if (!o.id().startsWith("event ")) comment = "event " + o.id() + (comment.isEmpty() ? "" : "; " + comment);
    if (timeLeft || timeRight) {
      out.events.add(new OdeModel.Event(true, null, true, timeLeft ? b : a, e.assignments(), comment));
    } else {
      out.events.add(new OdeModel.Event(false, a, above, b, e.assignments(), comment));
    }
  }

  /** Free of the time and of every state and let (so a constant expression of params and consts). */
  private boolean isTimeConstant(MathExpr e) {
    if (MathExpr.usesTime(e)) return false;
    Set<String> syms = new HashSet<>();
    MathExpr.symbols(e, syms);
    for (String s : syms) {
      Quantity q = out.get(s);
      if (q != null && (q.kind == Kind.STATE || q.kind == Kind.LET)) return false;
    }
    return true;
  }
}
