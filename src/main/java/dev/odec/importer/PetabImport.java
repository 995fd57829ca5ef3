package dev.odec.importer;

import dev.odec.importer.OdeModel.Kind;
import dev.odec.importer.OdeModel.Quantity;
import dev.odec.importer.OdeModel.Section;
import dev.odec.infer.Decimals;
import dev.odec.runtime.InputError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a PEtab v1 problem into an {@code .ode} model, a data file and a conditions file
 * that state the same problem (LANGUAGE.md §5, §6, §9):
 *
 * <ul>
 *   <li>the SBML model as {@link SbmlTranslator} writes it; each row of the parameter table with
 *       {@code estimate = 1} becomes {@code param ID = nominal in [lower, upper] scale S} (with its
 *       objective prior where the language has it exactly), each with {@code estimate = 0} a
 *       {@code const} at its nominal value;
 *   <li>each observable becomes {@code observe}: noise {@code normal} or {@code laplace} on the
 *       linear scale as is; {@code log} + normal is {@code lognormal(log(h), σ)} and {@code log10}
 *       + normal is {@code lognormal(log(h), σ·log(10))}, since log10 y ~ N(log10 h, σ) is
 *       ln y ~ N(ln h, σ ln 10) and both densities are of y (PEtab's likelihood includes the
 *       Jacobian 1/(y ln 10), as Stan's lognormal does); {@code log}/{@code log10} + laplace is
 *       {@code loglaplace} with the same arguments (log10 y ~ Laplace(log10 h, b) is
 *       ln y ~ Laplace(ln h, b ln 10));
 *   <li>the placeholders {@code observableParameterN_ID} and {@code noiseParameterN_ID} take the
 *       values each measurement row gives (numbers or parameter ids, separated by ';'). A
 *       conditions file overrides with numbers only, so an observable measured with several
 *       different assignments is written as one {@code observe} per assignment, named
 *       {@code ID_1}, {@code ID_2}, ... in order of first use, each with its own data column;
 *   <li>an experiment per (pre-equilibration, simulation) condition pair; the conditions file has
 *       a row per experiment with the simulation condition's overrides and, where the
 *       measurements name one, a {@code preequilibration} column naming a row
 *       {@code preeq_CONDITION} with the pre-equilibration condition's overrides. A species that
 *       a condition sets is written {@code state X = X_init} with {@code const X_init} holding
 *       the model's initial value, overridden per condition.
 * </ul>
 *
 * Errors are at FILE:LINE:COL of the table cell: an unknown observable or condition in a
 * measurement, a number of observable or noise parameters that differs from the formula's
 * placeholders, a log-scale parameter with a bound ≤ 0, steady-state measurements
 * ({@code time = inf}), noise models the language lacks (log-Laplace).
 */
public final class PetabImport {
  /** How a parameter of the problem is set: what fit and profile need besides the model. */
  public record ParameterSetting(String name, boolean estimated, String scale, double lower, double upper,
      double nominal) {}

  /**
   * The translated problem: the model's name, the three files' text, the parameter settings (in
   * parameter-table order) and warnings (priors left out).
   */
  public record Result(String name, String odeText, String dataCsv, String conditionsCsv,
      List<ParameterSetting> parameters, List<String> warnings, List<Path> sourceFiles) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("(observable|noise)Parameter(\\d+)_(.+)");
  private static final double LN10 = Math.log(10);

  private final PetabTables tables;
  private final OdeModel model;
  private final List<String> warnings = new ArrayList<>();
  private final List<ParameterSetting> settings = new ArrayList<>();
  private final Map<String, PetabTables.Row> parameterRows = new LinkedHashMap<>();
  private final Map<String, ObservableDef> observables = new LinkedHashMap<>();
  private final Map<String, PetabTables.Row> conditions = new LinkedHashMap<>();
  /** Condition-table column -> the conditions-file column (the model name it overrides). */
  private final Map<String, String> overrideColumn = new LinkedHashMap<>();
  /**
   * Condition columns with parameter ids among their cells: column -> (parameter id -> the const
   * that weighs it). The target becomes num + Σ w_p·p with num the column's const (overrideColumn)
   * and the weights set to 1 in the conditions that name p, so the gradient reaches p.
   */
  private final Map<String, Map<String, String>> byParameter = new LinkedHashMap<>();

  private record ObservableDef(String id, MathExpr formula, MathExpr noise, int nObs, int nNoise, String transform,
      String distribution, String name, PetabTables.Row row) {}

  private PetabImport(PetabTables tables, OdeModel model) {
    this.tables = tables;
    this.model = model;
  }

  /** Reads and translates a problem file; every problem with it is an {@link InputError}. */
  public static Result translate(Path yaml) {
    PetabTables t = PetabTables.read(yaml);
    OdeModel m = SbmlTranslator.translate(SbmlModel.read(t.sbml));
    return new PetabImport(t, m).run();
  }

  private Result run() {
    model.header.add("PEtab problem " + tables.yaml.getFileName() + ": estimated parameters are params, fixed ones "
        + "consts; data.csv and conditions.csv hold the measurements and conditions.");
    parameters();
    observableTable();
    conditionTable();
    Measurements ms = measurements();
    model.resolve();
    for (String col : overrideColumn.keySet()) {
      Quantity q = model.get(col);
      if (q != null && q.kind != Kind.CONST && q.kind != Kind.STATE && !byParameter.containsKey(col)) {
        PetabTables.Row r = tables.conditions.rows().get(0);
        throw InputError.at(r.file(), r.line(), 1, "the condition table sets '" + col + "', whose value the model "
            + "computes (" + q.kind.name().toLowerCase(Locale.ROOT) + "); only constants and species can be set per condition");
      }
    }
    String ode = model.render();
    return new Result(model.name, ode, ms.data, ms.conditions, List.copyOf(settings), List.copyOf(warnings),
        tables.files);
  }

  // ---- parameters --------------------------------------------------------------------------

  private void parameters() {
    for (PetabTables.Row r : tables.parameters.rows()) {
      String id = r.get("parameterId");
      if (id.isEmpty()) throw r.error("parameterId", "this row has no parameterId");
      if (parameterRows.put(id, r) != null) throw r.error("parameterId", "parameter '" + id + "' appears twice");
      String scale = r.get("parameterScale");
      if (!List.of("lin", "log", "log10").contains(scale)) {
        throw r.error("parameterScale", "parameterScale '" + scale + "' of '" + id + "': choose lin, log or log10");
      }
      double nominal = number(r, "nominalValue", id);
      String est = r.get("estimate");
      if (!est.equals("0") && !est.equals("1")) throw r.error("estimate", "estimate of '" + id + "' must be 0 or 1, got '" + est + "'");
      boolean estimated = est.equals("1");
      double lo = Double.NaN;
      double hi = Double.NaN;
      if (estimated) {
        lo = number(r, "lowerBound", id);
        hi = number(r, "upperBound", id);
        if (!scale.equals("lin") && !(lo > 0)) {
          throw r.error("lowerBound", "parameter '" + id + "' is on " + scale + " scale, so its lower bound must be > 0, got "
              + r.get("lowerBound"));
        }
        if (!(lo < hi)) throw r.error("upperBound", "the bounds of '" + id + "' are empty: [" + r.get("lowerBound") + ", "
            + r.get("upperBound") + "]");
        if (!(nominal >= lo && nominal <= hi)) {
          warnings.add(r.file() + ":" + r.line() + ": the nominal value " + r.get("nominalValue") + " of '" + id
              + "' is outside its bounds [" + r.get("lowerBound") + ", " + r.get("upperBound")
              + "]; run uses it, fit starts from the nearest bound");
        }
      }
      Quantity q = model.get(id);
      if (q == null) {
        q = model.add(id, Kind.CONST, Section.CONSTS, new MathExpr.Num(nominal));
        q.comments.add("PEtab parameter");
      } else if (q.kind != Kind.CONST || q.computed) {
        throw r.error("parameterId", "'" + id + "' is " + (q.kind == Kind.STATE ? "a state" : q.kind == Kind.LET
            ? "defined by a rule" : "computed by an initial assignment") + " in the model and cannot be a PEtab parameter");
      }
      q.value = new MathExpr.Num(nominal);
      String pname = r.get("parameterName");
      if (!pname.isEmpty() && !pname.equals(id) && !q.comments.contains(pname)) q.comments.add(pname);
      if (estimated) {
        q.kind = Kind.PARAM;
        q.section = Section.PARAMS;
        q.lo = lo;
        q.hi = hi;
        q.scale = scale;
        q.prior = prior(r, id, scale);
      }
      settings.add(new ParameterSetting(model.name(id), estimated, scale, lo, hi, nominal));
    }
  }

  private double number(PetabTables.Row r, String column, String id) {
    String s = r.get(column);
    try {
      double v = switch (s.toLowerCase(Locale.ROOT)) {
        case "inf", "infinity" -> Double.POSITIVE_INFINITY;
        case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(s);
      };
      if (Double.isNaN(v)) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw r.error(column, column + " of '" + id + "' must be a number, got '" + s + "'");
    }
  }

  /** The language's prior for a PEtab objective prior, or null (with a warning when it has none exactly). */
  private String prior(PetabTables.Row r, String id, String scale) {
    String type = r.get("objectivePriorType");
    String params = r.get("objectivePriorParameters");
    if (type.isEmpty()) {
      type = r.get("priorType");
      params = r.get("priorParameters");
    }
    if (type.isEmpty()) return null;
    String[] ps = params.split(";");
    if (ps.length != 2) {
      throw r.error("objectivePriorParameters", "the prior of '" + id + "' needs two parameters separated by ';', got '"
          + params + "'");
    }
    String a = OdeText.number(Double.parseDouble(ps[0].strip()));
    String b = OdeText.number(Double.parseDouble(ps[1].strip()));
    String onScale = type.startsWith("parameterScale") && scale.equals("lin") ? type.substring("parameterScale".length())
        .toLowerCase(Locale.ROOT) : type;
    switch (onScale) {
      case "normal", "laplace", "uniform" -> {
        return onScale + "(" + a + ", " + b + ")";
      }
      case "logNormal" -> {
        return "lognormal(" + a + ", " + b + ")";
      }
      case "logLaplace" -> {
        return "loglaplace(" + a + ", " + b + ")";
      }
      default -> {
        warnings.add(r.file() + ":" + r.line() + ": the " + type + " prior of '" + id + "' (on " + scale + " scale) has no "
            + "exact form in the language and is left out; it matters only for --map");
        return null;
      }
    }
  }

  // ---- observables -------------------------------------------------------------------------

  private void observableTable() {
    for (PetabTables.Row r : tables.observables.rows()) {
      String id = r.get("observableId");
      if (id.isEmpty()) throw r.error("observableId", "this row has no observableId");
      if (observables.containsKey(id)) throw r.error("observableId", "observable '" + id + "' appears twice");
      if (model.get(id) != null) throw r.error("observableId", "observable id '" + id + "' is also an id of the model");
      MathExpr f = Formula.parse(r.get("observableFormula"), r.file(), r.line(), r.col("observableFormula"));
      String noiseText = r.get("noiseFormula");
      if (noiseText.isEmpty()) throw r.error("noiseFormula", "observable '" + id + "' has no noiseFormula");
      MathExpr noise = Formula.parse(noiseText, r.file(), r.line(), r.col("noiseFormula"));
      int nObs = placeholders(f, "observable", id, r, "observableFormula");
      if (placeholders(f, "noise", id, r, "observableFormula") > 0) {
        throw r.error("observableFormula", "the observableFormula of '" + id + "' uses a noiseParameter placeholder");
      }
      int nNoise = placeholders(noise, "noise", id, r, "noiseFormula");
      nObs = Math.max(nObs, placeholders(noise, "observable", id, r, "noiseFormula"));
      String transform = r.get("observableTransformation").isEmpty() ? "lin" : r.get("observableTransformation");
      String dist = r.get("noiseDistribution").isEmpty() ? "normal" : r.get("noiseDistribution");
      if (!List.of("lin", "log", "log10").contains(transform)) {
        throw r.error("observableTransformation", "observableTransformation '" + transform + "': choose lin, log or log10");
      }
      if (!List.of("normal", "laplace").contains(dist)) {
        throw r.error("noiseDistribution", "noiseDistribution '" + dist + "': choose normal or laplace");
      }
      observables.put(id, new ObservableDef(id, f, noise, nObs, nNoise, transform, dist, r.get("observableName"), r));
    }
  }

  /** The number of placeholders {@code KINDParameterN_id} in e (N = 1..count, none missing). */
  private static int placeholders(MathExpr e, String kind, String id, PetabTables.Row r, String column) {
    Set<String> syms = new LinkedHashSet<>();
    MathExpr.symbols(e, syms);
    Set<Integer> found = new HashSet<>();
    for (String s : syms) {
      Matcher m = PLACEHOLDER.matcher(s);
      if (m.matches() && m.group(1).equals(kind)) {
        if (!m.group(3).equals(id)) {
          throw r.error(column, "placeholder '" + s + "' belongs to observable '" + m.group(3) + "', not '" + id + "'");
        }
        found.add(Integer.parseInt(m.group(2)));
      }
    }
    for (int i = 1; i <= found.size(); i++) {
      if (!found.contains(i)) throw r.error(column, "the " + kind + " placeholders of '" + id + "' skip number " + i);
    }
    return found.size();
  }

  // ---- conditions --------------------------------------------------------------------------

  private void conditionTable() {
    PetabTables.Table t = tables.conditions;
    for (String col : t.columns()) {
      if (col.equals("conditionId") || col.equals("conditionName")) continue;
      Quantity q = model.get(col);
      PetabTables.Row first = t.rows().isEmpty() ? null : t.rows().get(0);
      if (q == null) {
        throw InputError.at(first == null ? t.what() : first.file(), first == null ? 1 : first.line() - 1, 1,
            "column '" + col + "' of the condition table names no parameter, species or compartment of the model");
      }
      if (q.kind == Kind.PARAM) {
        throw InputError.at(first.file(), first.line() - 1, 1, "column '" + col + "' of the condition table sets '" + col
            + "', which the parameter table estimates; PEtab does not allow both");
      }
      // parameter ids among the column's cells, in order of first use
      Map<String, String> ids = new LinkedHashMap<>();
      for (PetabTables.Row r : t.rows()) {
        String v = r.get(col);
        if (v.isEmpty() || v.equalsIgnoreCase("nan") || isNumber(v)) continue;
        Quantity p = model.get(v);
        if (p == null || (p.kind != Kind.PARAM && p.kind != Kind.CONST)) {
          throw r.error(col, "condition '" + r.get("conditionId") + "' sets '" + col + "' to '" + v + "', which is "
              + "neither a number nor a parameter of the parameter table");
        }
        ids.putIfAbsent(v, null);
      }
      if (q.kind == Kind.STATE) {
        // a species set per condition: its initial value becomes a const that the conditions override
        overrideColumn.put(col, valueConst(col, q, "_init", "initial value of " + model.name(col) + ", set per condition", ids));
      } else if (!ids.isEmpty()) {
        if (q.computed) {
          throw InputError.at(first.file(), first.line() - 1, 1, "the condition table sets '" + col + "', which the model "
              + "computes with an initial assignment");
        }
        // a constant some conditions set to a parameter: a const for its numbers, and the target
        // an expression of it and the weighted parameters (odec makes that a let)
        overrideColumn.put(col, valueConst(col, q, "_value", "the numeric value of " + model.name(col)
            + ", set per condition", ids));
      } else {
        if (q.computed) {
          throw InputError.at(first.file(), first.line() - 1, 1, "the condition table sets '" + col + "', which the model "
              + "computes with an initial assignment");
        }
        overrideColumn.put(col, model.name(col));
      }
    }
    for (PetabTables.Row r : t.rows()) {
      String id = r.get("conditionId");
      if (id.isEmpty()) throw r.error("conditionId", "this row has no conditionId");
      if (conditions.put(id, r) != null) throw r.error("conditionId", "condition '" + id + "' appears twice");
    }
  }

  /**
   * A const (named after the column with {@code suffix}) holding the target's value, which the
   * conditions file overrides; the target becomes that const plus the weighted parameters of
   * {@link #weighted}. Returns the const's name.
   */
  private String valueConst(String col, Quantity target, String suffix, String comment, Map<String, String> ids) {
    String name = model.names.fresh(model.name(col) + suffix);
    Quantity c = new Quantity("\u0000" + name, Kind.CONST, Section.CONSTS, target.value);
    c.comments.add(comment);
    model.quantities.put(c.id, c);
    target.value = weighted(col, new MathExpr.Sym(c.id), ids);
    return name;
  }

  /**
   * num + Σ w_p·p over the parameter ids of a condition column, the weights consts (0 unless a
   * condition names p); num alone when there are none.
   */
  private MathExpr weighted(String col, MathExpr num, Map<String, String> ids) {
    MathExpr e = num;
    Map<String, String> weights = new LinkedHashMap<>();
    for (String pid : ids.keySet()) {
      String w = model.names.fresh(model.name(col) + "_by_" + model.name(pid));
      Quantity c = new Quantity("\u0000" + w, Kind.CONST, Section.CONSTS, new MathExpr.Num(0));
      c.comments.add("1 in the conditions that set " + model.name(col) + " to " + model.name(pid) + ", else 0");
      model.quantities.put(c.id, c);
      weights.put(pid, w);
      e = MathExpr.op("+", e, MathExpr.op("*", new MathExpr.Sym(c.id), new MathExpr.Sym(pid)));
    }
    if (!weights.isEmpty()) byParameter.put(col, weights);
    return e;
  }

  // ---- measurements ------------------------------------------------------------------------

  private record Measurements(String data, String conditions) {}

  private Measurements measurements() {
    // observable id -> (assignment key -> observe name), in order of first use
    Map<String, LinkedHashMap<List<String>, String>> mappings = new LinkedHashMap<>();
    // experiment key "preeq\0sim" -> id
    Map<String, String[]> experiments = new LinkedHashMap<>();
    // sigma: the row's own noise value for a NAME.sigma column, NaN when the observe carries it
    record M(PetabTables.Row row, String obs, List<String> key, String experimentKey, double time, double value,
        double sigma) {}
    Map<List<String>, String> sigmaDefault = new LinkedHashMap<>();
    List<M> rows = new ArrayList<>();
    for (PetabTables.Row r : tables.measurements.rows()) {
      String obs = r.get("observableId");
      ObservableDef def = observables.get(obs);
      if (def == null) {
        throw r.error("observableId", "observable '" + obs + "' is not in the observable table"
            + dev.odec.sema.Suggest.hint(obs, observables.keySet()));
      }
      String sim = r.get("simulationConditionId");
      if (!conditions.containsKey(sim)) {
        throw r.error("simulationConditionId", "condition '" + sim + "' is not in the condition table"
            + dev.odec.sema.Suggest.hint(sim, conditions.keySet()));
      }
      String pre = r.get("preequilibrationConditionId");
      if (!pre.isEmpty() && !conditions.containsKey(pre)) {
        throw r.error("preequilibrationConditionId", "condition '" + pre + "' is not in the condition table"
            + dev.odec.sema.Suggest.hint(pre, conditions.keySet()));
      }
      String timeText = r.get("time");
      double time;
      try {
        time = Double.parseDouble(timeText);
      } catch (NumberFormatException e) {
        if (timeText.equalsIgnoreCase("inf")) {
          throw r.error("time", "a steady-state measurement (time = inf) is not supported yet; give a finite time");
        }
        throw r.error("time", "time '" + timeText + "' is not a number");
      }
      if (Double.isInfinite(time)) {
        throw r.error("time", "a steady-state measurement (time = inf) is not supported yet; give a finite time");
      }
      if (!(time >= 0)) throw r.error("time", "time " + timeText + " is before the start of the simulation (0)");
      double value;
      try {
        value = Double.parseDouble(r.get("measurement"));
      } catch (NumberFormatException e) {
        throw r.error("measurement", "measurement '" + r.get("measurement") + "' is not a number");
      }
      if (!Double.isFinite(value)) throw r.error("measurement", "measurement '" + r.get("measurement") + "' is not a finite number");
      List<String> key = new ArrayList<>();
      key.addAll(overrides(r, "observableParameters", def.nObs(), obs));
      List<String> noise = overrides(r, "noiseParameters", def.nNoise(), obs);
      double sigma = Double.NaN;
      if (perRowNoise(def) && isNumber(noise.get(0))) {
        // a number per measurement: a NAME.sigma (NAME.scale) cell, not one observe per value
        sigma = Double.parseDouble(noise.get(0));
        key.add(SIGMA_COLUMN);
        sigmaDefault.putIfAbsent(withObs(obs, key), noise.get(0));
      } else {
        key.addAll(noise);
      }
      mappings.computeIfAbsent(obs, k -> new LinkedHashMap<>()).putIfAbsent(key, null);
      String ek = pre + "\u0000" + sim;
      experiments.putIfAbsent(ek, new String[] {pre, sim, null});
      rows.add(new M(r, obs, key, ek, time, value, sigma));
    }

    // observables: one observe per distinct assignment of the placeholders
    for (ObservableDef def : observables.values()) {
      LinkedHashMap<List<String>, String> keys = mappings.get(def.id());
      if (keys == null) {
        warnings.add(def.row().file() + ":" + def.row().line() + ": observable '" + def.id() + "' has no measurements and is left out");
        continue;
      }
      int k = 0;
      for (Map.Entry<List<String>, String> e : keys.entrySet()) {
        String name = keys.size() == 1 ? model.names.fresh(def.id()) : model.names.fresh(def.id() + "_" + (++k));
        e.setValue(name);
        List<String> assignment = e.getKey();
        if (assignment.contains(SIGMA_COLUMN)) {
          // the model's own noise argument: the first measurement's (every row gives its own)
          assignment = new ArrayList<>(assignment);
          assignment.set(assignment.indexOf(SIGMA_COLUMN), sigmaDefault.get(withObs(def.id(), e.getKey())));
          sigmaColumns.put(name, name + (def.distribution().equals("laplace") ? ".scale" : ".sigma"));
        }
        OdeModel.Observe o = observe(def, assignment, name, keys.size() > 1);
        if (sigmaColumns.containsKey(name)) {
          String note = "each measurement's noise in column " + sigmaColumns.get(name) + " (the model's: the first)";
          o = new OdeModel.Observe(o.name(), o.dist(), o.args(), o.comment().isEmpty() ? note : o.comment() + "; " + note);
        }
        model.observes.add(o);
      }
    }

    // experiment ids: the simulation condition's id where it is used with one pre-equilibration only
    Map<String, Integer> uses = new TreeMap<>();
    for (String[] e : experiments.values()) uses.merge(e[1], 1, Integer::sum);
    Set<String> taken = new HashSet<>();
    for (String[] e : experiments.values()) {
      String id = uses.get(e[1]) == 1 ? e[1] : (e[0].isEmpty() ? e[1] : e[0] + "_then_" + e[1]);
      String base = id;
      for (int i = 2; !taken.add(id); i++) id = base + "_" + i;
      e[2] = id;
    }
    Map<String, String> preeqRow = new LinkedHashMap<>();
    for (String[] e : experiments.values()) {
      if (e[0].isEmpty() || preeqRow.containsKey(e[0])) continue;
      String id = "preeq_" + e[0];
      for (int i = 2; !taken.add(id); i++) id = "preeq_" + e[0] + "_" + i;
      preeqRow.put(e[0], id);
    }

    // data.csv
    List<String> columns = new ArrayList<>();
    for (OdeModel.Observe o : model.observes) columns.add(o.name());
    StringBuilder data = new StringBuilder("experiment,time");
    for (String c : columns) data.append(',').append(c);
    for (String c : sigmaColumns.values()) data.append(',').append(c);
    data.append('\n');
    for (M m : rows) {
      String col = mappings.get(m.obs()).get(m.key());
      data.append(experiments.get(m.experimentKey())[2]).append(',').append(Decimals.shortest(m.time()));
      for (String c : columns) data.append(',').append(c.equals(col) ? Decimals.shortest(m.value()) : "");
      for (String c : sigmaColumns.keySet()) {
        data.append(',');
        // the cell replaces the distribution's last argument: σ·ln 10 for log10 (see observe)
        if (c.equals(col)) data.append(Decimals.shortest(observables.get(m.obs()).transform().equals("log10")
            ? m.sigma() * Math.log(10) : m.sigma()));
      }
      data.append('\n');
    }

    for (String[] e : experiments.values()) if (!e[0].isEmpty()) checkReinitialisation(conditions.get(e[1]));

    // conditions.csv
    boolean anyPreeq = !preeqRow.isEmpty();
    StringBuilder cond = new StringBuilder("experiment");
    if (anyPreeq) cond.append(",preequilibration");
    for (Map.Entry<String, String> c : overrideColumn.entrySet()) {
      cond.append(',').append(c.getValue());
      for (String w : byParameter.getOrDefault(c.getKey(), Map.of()).values()) cond.append(',').append(w);
    }
    cond.append('\n');
    for (String[] e : experiments.values()) {
      cond.append(e[2]);
      if (anyPreeq) cond.append(',').append(e[0].isEmpty() ? "" : preeqRow.get(e[0]));
      conditionCells(conditions.get(e[1]), cond);
    }
    for (Map.Entry<String, String> p : preeqRow.entrySet()) {
      cond.append(p.getValue());
      cond.append(',');
      conditionCells(conditions.get(p.getKey()), cond);
    }
    return new Measurements(data.toString(), cond.toString());
  }

  /**
   * After pre-equilibration PEtab resets only the species a simulation condition sets; odec also
   * starts from its initial-value expression every state whose expression uses a param or const
   * that the condition sets (docs/LANGUAGE.md, "Conditions files"). Where the two differ the
   * problem cannot be written faithfully: an error naming the condition, the column and the state.
   */
  private void checkReinitialisation(PetabTables.Row row) {
    for (Map.Entry<String, String> c : overrideColumn.entrySet()) {
      String v = row.get(c.getKey());
      if (v.isEmpty() || v.equalsIgnoreCase("nan")) continue;
      Quantity target = model.get(c.getKey());
      if (target != null && target.kind == Kind.STATE) continue; // a species set: PEtab resets it too
      for (Quantity q : model.quantities.values()) {
        if (q.kind != Kind.STATE || q.value == null) continue;
        if (dependsOn(q.value, c.getKey(), new HashSet<>())) {
          throw row.error(c.getKey(), "condition '" + row.get("conditionId") + "' sets '" + c.getKey() + "' after a "
              + "pre-equilibration, and the initial value of state '" + model.name(q.id) + "' uses it: PEtab keeps the "
              + "pre-equilibrated value of '" + model.name(q.id) + "', odec would start it again from its expression");
        }
      }
    }
  }

  /** Whether e uses id, directly or through the values of constants and the definitions of lets. */
  private boolean dependsOn(MathExpr e, String id, Set<String> seen) {
    Set<String> syms = new LinkedHashSet<>();
    MathExpr.symbols(e, syms);
    for (String s : syms) {
      if (s.equals(id)) return true;
      Quantity q = model.get(s);
      if (q != null && q.kind != Kind.STATE && q.value != null && seen.add(s) && dependsOn(q.value, id, seen)) return true;
    }
    return false;
  }

  private void conditionCells(PetabTables.Row r, StringBuilder sb) {
    for (String col : overrideColumn.keySet()) {
      String v = r.get(col);
      boolean keep = v.isEmpty() || v.equalsIgnoreCase("nan");
      boolean number = !keep && isNumber(v);
      sb.append(',');
      // a parameter id: the number is 0 and the parameter's weight 1
      if (number) sb.append(Decimals.shortest(Double.parseDouble(v)));
      else if (!keep) sb.append('0');
      for (String pid : byParameter.getOrDefault(col, Map.of()).keySet()) {
        sb.append(',');
        if (!keep && !number && pid.equals(v)) sb.append('1');
      }
    }
    sb.append('\n');
  }

  /** The ';'-separated overrides of a row for n placeholders: numbers (canonical text) or parameter ids. */
  private List<String> overrides(PetabTables.Row r, String column, int n, String obs) {
    String text = r.get(column);
    List<String> out = new ArrayList<>();
    if (!text.isEmpty()) for (String s : text.split(";", -1)) out.add(s.strip());
    if (out.size() != n) {
      throw r.error(column, column + " of observable '" + obs + "' gives " + out.size() + " value"
          + (out.size() == 1 ? "" : "s") + " ('" + text + "'), but its " + (column.startsWith("noise") ? "noise" : "observable")
          + " formula has " + n + " placeholder" + (n == 1 ? "" : "s"));
    }
    for (int i = 0; i < out.size(); i++) {
      String s = out.get(i);
      try {
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) throw r.error(column, "'" + s + "' in " + column + " is not a finite number");
        out.set(i, Decimals.shortest(v));
      } catch (NumberFormatException e) {
        if (!parameterRows.containsKey(s) && model.get(s) == null) {
          throw r.error(column, "'" + s + "' in " + column + " is neither a number nor a parameter of the problem"
              + dev.odec.sema.Suggest.hint(s, parameterRows.keySet()));
        }
      }
    }
    return out;
  }

  /** Marks, in an assignment key, a noise value given per row in a NAME.sigma column. */
  private static final String SIGMA_COLUMN = "\u0000per-row";
  /** Observe name -> its per-measurement noise column, for observables that have one. */
  private final Map<String, String> sigmaColumns = new LinkedHashMap<>();

  /** Whether numeric noise values can go into a NAME.sigma (NAME.scale) column: σ is the whole noise formula. */
  private static boolean perRowNoise(ObservableDef def) {
    return def.nNoise() == 1 && def.noise() instanceof MathExpr.Sym s && s.id().equals("noiseParameter1_" + def.id());
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static List<String> withObs(String obs, List<String> key) {
    List<String> k = new ArrayList<>(key);
    k.add(0, obs);
    return k;
  }

  private OdeModel.Observe observe(ObservableDef def, List<String> key, String name, boolean several) {
    Map<String, MathExpr> values = new LinkedHashMap<>();
    for (int i = 0; i < def.nObs(); i++) values.put("observableParameter" + (i + 1) + "_" + def.id(), value(key.get(i)));
    for (int i = 0; i < def.nNoise(); i++) {
      values.put("noiseParameter" + (i + 1) + "_" + def.id(), value(key.get(def.nObs() + i)));
    }
    MathExpr h = MathExpr.substitute(def.formula(), values::get);
    MathExpr sigma = MathExpr.substitute(def.noise(), values::get);
    String dist;
    List<MathExpr> args;
    switch (def.transform()) {
      case "log" -> {
        dist = def.distribution().equals("laplace") ? "loglaplace" : "lognormal";
        args = List.of(MathExpr.op("log", h), sigma);
      }
      case "log10" -> {
        dist = def.distribution().equals("laplace") ? "loglaplace" : "lognormal";
        args = List.of(MathExpr.op("log", h), MathExpr.op("*", sigma, MathExpr.op("log", new MathExpr.Num(10))));
      }
      default -> {
        dist = def.distribution();
        args = List.of(h, sigma);
      }
    }
    List<String> c = new ArrayList<>();
    if (!def.name().isEmpty() && !def.name().equals(def.id())) c.add(def.name());
    if (several || !name.equals(def.id())) c.add("PEtab observable " + def.id());
    if (several) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, MathExpr> e : values.entrySet()) parts.add(e.getKey().replaceAll("_" + Pattern.quote(def.id()) + "$", "")
          + " = " + key.get(parts.size()));
      c.add(String.join(", ", parts));
    }
    if (def.transform().equals("log10")) c.add("log10(y) ~ " + def.distribution() + "(log10(h), " + (def.distribution()
        .equals("laplace") ? "b" : "sigma") + ")");
    return new OdeModel.Observe(name, dist, args, String.join("; ", c));
  }

  private static MathExpr value(String s) {
    try {
      return new MathExpr.Num(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return new MathExpr.Sym(s);
    }
  }
}
