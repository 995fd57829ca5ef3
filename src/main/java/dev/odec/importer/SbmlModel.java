package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of an SBML Level 2 or 3 core model that odec translates, read from the file's XML
 * ({@link #read}). Attributes absent from the file take SBML Level 2's defaults. Constructs odec
 * cannot honour are errors naming the element, its id and its line: algebraic rules, fast
 * reactions, delays (in math or on events), variable stoichiometry, and — after translation
 * decides what varies — variable compartments.
 */
record SbmlModel(
    String file,
    int level,
    String id,
    String name,
    String notes,
    List<FunctionDef> functions,
    List<Compartment> compartments,
    List<Species> species,
    List<Parameter> parameters,
    Map<String, MathExpr> initialAssignments,
    List<Rule> rules,
    List<Reaction> reactions,
    List<Event> events) {

  /** Where an element is, and what it is called, for messages and comments. */
  record Origin(String element, String id, String name, String notes, int line, int col) {
    String describe() {
      return element + " '" + id + "'";
    }
  }

  record FunctionDef(String id, List<String> args, MathExpr body, Origin origin) {}

  /** size: NaN when the file gives none (an initial assignment may set it). */
  record Compartment(String id, double size, boolean constant, Origin origin) {}

  /** initialAmount and initialConcentration: NaN when absent. */
  record Species(String id, String compartment, double initialAmount, double initialConcentration,
      boolean hasOnlySubstanceUnits, boolean boundaryCondition, boolean constant, Origin origin) {}

  /** value: NaN when absent. */
  record Parameter(String id, double value, boolean constant, Origin origin) {}

  record Rule(boolean rate, String variable, MathExpr math, Origin origin) {}

  record SpeciesReference(String species, double stoichiometry) {}

  /** localParameters: local id -> value, in file order. */
  record Reaction(String id, List<SpeciesReference> reactants, List<SpeciesReference> products, MathExpr rate,
      Map<String, Double> localParameters, Origin origin) {}

  record Assignment(String variable, MathExpr math) {}

  record Event(String id, MathExpr trigger, boolean initialValue, boolean hasPriority, List<Assignment> assignments,
      Origin origin) {}

  /** Reads and checks a model file; see the class comment for what is an error. */
  static SbmlModel read(Path path) {
    String file = path.toString();
    Xml.Element root = Xml.read(path);
    if (!root.name().equals("sbml")) {
      throw InputError.at(file, root.line(), root.col(), "this is not an SBML file: its root element is <" + root.name()
          + ">, not <sbml>");
    }
    int level = intAttr(root, "level", 0);
    if (level != 2 && level != 3) {
      throw InputError.at(file, root.line(), root.col(), "SBML level " + root.attr("level")
          + " is not supported; odec reads SBML Level 2 and Level 3 (core)");
    }
    Xml.Element m = root.child("model");
    if (m == null) throw InputError.at(file, root.line(), root.col(), "the SBML file has no <model>");
    Reader r = new Reader(file, level);
    return r.model(m);
  }

  private static int intAttr(Xml.Element e, String key, int dflt) {
    String v = e.attr(key);
    try {
      return v == null ? dflt : Integer.parseInt(v.strip());
    } catch (NumberFormatException ex) {
      return dflt;
    }
  }

  /** Plain text of a notes element: the XHTML's text with blank runs folded. */
  static String notesText(Xml.Element notes) {
    if (notes == null) return "";
    StringBuilder sb = new StringBuilder();
    collect(notes, sb);
    return sb.toString().replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\\n[ \\n]*", "\n").strip();
  }

  private static void collect(Xml.Element e, StringBuilder sb) {
    sb.append(e.text());
    for (Xml.Element c : e.children()) {
      collect(c, sb);
      if (List.of("p", "div", "br", "pre", "li", "h1", "h2", "h3", "tr").contains(c.name())) sb.append('\n');
    }
  }

  private static final class Reader {
    final String file;
    final int level;

    Reader(String file, int level) {
      this.file = file;
      this.level = level;
    }

    InputError error(Xml.Element e, String what) {
      return InputError.at(file, e.line(), e.col(), what);
    }

    Origin origin(Xml.Element e, String element, String id) {
      String name = e.attr("name");
      return new Origin(element, id, name == null ? "" : name, notesText(e.child("notes")), e.line(), e.col());
    }

    String id(Xml.Element e, String element) {
      String id = e.attr("id");
      if (id == null || id.isBlank()) throw error(e, "this " + element + " has no id");
      return id.strip();
    }

    double number(Xml.Element e, String key, Origin o) {
      String v = e.attr(key);
      if (v == null) return Double.NaN;
      try {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "inf", "infinity" -> Double.POSITIVE_INFINITY;
          case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
          default -> Double.parseDouble(v.strip());
        };
      } catch (NumberFormatException ex) {
        throw error(e, o.describe() + ": " + key + "=\"" + v + "\" is not a number");
      }
    }

    boolean bool(Xml.Element e, String key, boolean dflt) {
      String v = e.attr(key);
      return v == null ? dflt : v.strip().equals("true") || v.strip().equals("1");
    }

    MathExpr math(Xml.Element owner, Origin o, String what) {
      Xml.Element math = owner.child("math");
      if (math == null) return null;
      return MathMl.read(math, file, what + " of " + o.describe());
    }

    SbmlModel model(Xml.Element m) {
      String id = m.attr("id") == null ? "" : m.attr("id");
      List<FunctionDef> fns = new ArrayList<>();
      for (Xml.Element e : m.list("listOfFunctionDefinitions", "functionDefinition")) {
        Origin o = origin(e, "functionDefinition", id(e, "functionDefinition"));
        Xml.Element math = e.child("math");
        if (math == null) throw error(e, o.describe() + " has no math");
        MathMl.Lambda l = MathMl.lambda(math, file, o.describe());
        fns.add(new FunctionDef(o.id(), l.args(), l.body(), o));
      }
      List<Compartment> comps = new ArrayList<>();
      for (Xml.Element e : m.list("listOfCompartments", "compartment")) {
        Origin o = origin(e, "compartment", id(e, "compartment"));
        double size = number(e, "size", o);
        if (Double.isNaN(size)) size = number(e, "volume", o); // Level 1 style, still seen in Level 2 files
        comps.add(new Compartment(o.id(), size, bool(e, "constant", true), o));
      }
      List<Species> species = new ArrayList<>();
      for (Xml.Element e : m.list("listOfSpecies", "species")) {
        Origin o = origin(e, "species", id(e, "species"));
        String comp = e.attr("compartment");
        if (comp == null) throw error(e, o.describe() + " has no compartment");
        species.add(new Species(o.id(), comp.strip(), number(e, "initialAmount", o), number(e, "initialConcentration", o),
            bool(e, "hasOnlySubstanceUnits", false), bool(e, "boundaryCondition", false), bool(e, "constant", false), o));
      }
      List<Parameter> params = new ArrayList<>();
      for (Xml.Element e : m.list("listOfParameters", "parameter")) {
        Origin o = origin(e, "parameter", id(e, "parameter"));
        params.add(new Parameter(o.id(), number(e, "value", o), bool(e, "constant", true), o));
      }
      Map<String, MathExpr> ias = new LinkedHashMap<>();
      for (Xml.Element e : m.list("listOfInitialAssignments", "initialAssignment")) {
        String sym = e.attr("symbol");
        if (sym == null) throw error(e, "this initialAssignment has no symbol");
        Origin o = origin(e, "initialAssignment", sym.strip());
        MathExpr v = math(e, o, "the math");
        if (v == null) throw error(e, o.describe() + " has no math");
        ias.put(sym.strip(), v);
      }
      List<Rule> rules = new ArrayList<>();
      Xml.Element lr = m.child("listOfRules");
      if (lr != null) {
        for (Xml.Element e : lr.children()) {
          switch (e.name()) {
            case "assignmentRule", "rateRule" -> {
              String var = e.attr("variable");
              if (var == null) throw error(e, "this " + e.name() + " has no variable");
              Origin o = origin(e, e.name(), var.strip());
              MathExpr v = math(e, o, "the math");
              if (v == null) throw error(e, o.describe() + " has no math");
              rules.add(new Rule(e.name().equals("rateRule"), var.strip(), v, o));
            }
            case "algebraicRule" -> throw error(e, "algebraicRule" + (e.attr("metaid") == null ? "" : " '"
                + e.attr("metaid") + "'") + " is not supported: odec solves ODEs, not algebraic constraints (DAEs)");
            default -> { }
          }
        }
      }
      List<Reaction> reactions = new ArrayList<>();
      for (Xml.Element e : m.list("listOfReactions", "reaction")) reactions.add(reaction(e));
      List<Event> events = new ArrayList<>();
      int k = 0;
      for (Xml.Element e : m.list("listOfEvents", "event")) events.add(event(e, ++k));
      return new SbmlModel(file, level, id, m.attr("name") == null ? "" : m.attr("name"), notesText(m.child("notes")),
          fns, comps, species, params, ias, rules, reactions, events);
    }

    Reaction reaction(Xml.Element e) {
      Origin o = origin(e, "reaction", id(e, "reaction"));
      if (bool(e, "fast", false)) {
        throw error(e, o.describe() + " is fast (fast=\"true\"): fast reactions (a quasi-steady-state assumption) are "
            + "not supported; write the reaction with its ordinary rate");
      }
      List<SpeciesReference> reactants = refs(e, "listOfReactants", o);
      List<SpeciesReference> products = refs(e, "listOfProducts", o);
      Xml.Element law = e.child("kineticLaw");
      if (law == null) throw error(e, o.describe() + " has no kineticLaw, so its rate is unknown");
      MathExpr rate = math(law, o, "the kinetic law");
      if (rate == null) throw error(law, "the kineticLaw of " + o.describe() + " has no math");
      Map<String, Double> locals = new LinkedHashMap<>();
      for (String list : new String[] {"listOfParameters", "listOfLocalParameters"}) {
        for (String item : new String[] {"parameter", "localParameter"}) {
          for (Xml.Element p : law.list(list, item)) {
            Origin po = origin(p, "local parameter", id(p, "local parameter"));
            double v = number(p, "value", po);
            if (Double.isNaN(v)) throw error(p, "local parameter '" + po.id() + "' of " + o.describe() + " has no value");
            locals.put(po.id(), v);
          }
        }
      }
      return new Reaction(o.id(), reactants, products, rate, locals, o);
    }

    List<SpeciesReference> refs(Xml.Element reaction, String list, Origin o) {
      List<SpeciesReference> out = new ArrayList<>();
      for (Xml.Element r : reaction.list(list, "speciesReference")) {
        String sp = r.attr("species");
        if (sp == null) throw error(r, "a speciesReference of " + o.describe() + " names no species");
        if (r.child("stoichiometryMath") != null) {
          throw error(r, "stoichiometryMath of species '" + sp + "' in " + o.describe() + " is not supported: "
              + "give a constant stoichiometry");
        }
        if (level >= 3 && "false".equals(r.attr("constant"))) {
          throw error(r, "the stoichiometry of species '" + sp + "' in " + o.describe() + " is variable "
              + "(constant=\"false\"), which is not supported");
        }
        Origin ro = new Origin("speciesReference", sp, "", "", r.line(), r.col());
        double st = number(r, "stoichiometry", ro);
        if (Double.isNaN(st)) {
          if (level >= 3) {
            throw error(r, "species '" + sp + "' in " + o.describe() + " has no stoichiometry (SBML Level 3 "
                + "leaves it undefined); give stoichiometry=\"...\"");
          }
          st = 1;
        }
        out.add(new SpeciesReference(sp.strip(), st));
      }
      return out;
    }

    Event event(Xml.Element e, int index) {
      String id = e.attr("id") == null ? "event " + index : e.attr("id").strip();
      Origin o = origin(e, "event", id);
      if (e.child("delay") != null) {
        throw error(e, o.describe() + " has a delay, which is not supported (odec applies events at their trigger time)");
      }
      Xml.Element trig = e.child("trigger");
      if (trig == null) throw error(e, o.describe() + " has no trigger");
      MathExpr t = math(trig, o, "the trigger");
      if (t == null) throw error(trig, "the trigger of " + o.describe() + " has no math");
      boolean initialValue = bool(trig, "initialValue", true);
      List<Assignment> as = new ArrayList<>();
      for (Xml.Element a : e.list("listOfEventAssignments", "eventAssignment")) {
        String v = a.attr("variable");
        if (v == null) throw error(a, "an eventAssignment of " + o.describe() + " has no variable");
        MathExpr x = math(a, o, "the assignment to '" + v + "'");
        if (x == null) throw error(a, "the eventAssignment to '" + v + "' of " + o.describe() + " has no math");
        as.add(new Assignment(v.strip(), x));
      }
      return new Event(id, t, initialValue, e.child("priority") != null, as, o);
    }
  }
}
