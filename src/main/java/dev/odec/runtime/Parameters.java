package dev.odec.runtime;

import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.interp.Interpreter;
import dev.odec.infer.Decimals;
import dev.odec.ir.IrFunction;
import dev.odec.ir.OdeSystem;
import dev.odec.sema.Suggest;
import dev.odec.syntax.NumberSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds the parameter vector p of a model: each param's and const's nominal value (its
 * {@code = EXPR}, evaluated after what it depends on), with the user's overrides
 * ({@code --set NAME=VALUE}, or a component {@code --set W[2,1]=VALUE}) applied first so that
 * defaults computed from them follow. A param without {@code =} starts at a draw from its prior
 * (seeded), else at the midpoint of its bounds in its scale.
 */
public final class Parameters {
  private Parameters() {}

  /** Parses repeated {@code NAME=VALUE} options into an ordered map, rejecting malformed ones. */
  public static Map<String, Double> parseAssignments(List<String> assignments, String option) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) throw InputError.usage(option + " expects NAME=VALUE, got '" + a + "'");
      String name = a.substring(0, eq).strip();
      String value = a.substring(eq + 1).strip();
      if (!NumberSyntax.isNumber(value)) {
        throw InputError.usage(option + " " + name + ": '" + value + "' is not a number");
      }
      double v = Double.parseDouble(value);
      if (!Double.isFinite(v)) throw InputError.usage(option + " " + name + ": " + value + " is not a finite number");
      out.put(name, v);
    }
    return out;
  }

  /**
   * The parameter vector with overrides applied; {@code seed} drives prior draws. An override of
   * zero or below for a param of scale {@code log} or {@code log10} is refused: the param's scale,
   * in which fits and priors work, is undefined there.
   */
  public static double[] build(OdeSystem sys, Map<String, Double> overrides, long seed) {
    for (Map.Entry<String, Double> e : overrides.entrySet()) {
      OdeSystem.ParamInfo info = paramOf(sys, e.getKey());
      if (info != null && !info.scale().equals("lin") && !(e.getValue() > 0)) {
        throw InputError.usage("--set " + e.getKey() + "=" + Decimals.shortest(e.getValue()) + ": param '"
            + info.var().name() + "' has scale " + info.scale() + ", so its value must be positive");
      }
    }
    double[] p = new double[sys.paramSize()];
    boolean[] fixed = new boolean[p.length];
    apply(sys, overrides, p, fixed);
    complete(sys, p, fixed, seed);
    return p;
  }

  /**
   * The overrides that put a param outside its bounds, one message each (in override order): a
   * run may explore there, but a fit starts from the nearest bound, and an API call refuses them.
   */
  public static List<String> outsideBounds(OdeSystem sys, Map<String, Double> overrides) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : overrides.entrySet()) {
      OdeSystem.ParamInfo info = paramOf(sys, e.getKey());
      double v = e.getValue();
      if (info == null || Double.isNaN(info.lo()) || (v >= info.lo() && v <= info.hi())) continue;
      out.add("--set " + e.getKey() + "=" + Decimals.shortest(v) + " is outside the bounds [" + Decimals.shortest(info.lo())
          + ", " + Decimals.shortest(info.hi()) + "] of param '" + info.var().name() + "'");
    }
    return out;
  }

  /** The param an override key (NAME or NAME[i,...]) names, or null (a const, or no such param). */
  private static OdeSystem.ParamInfo paramOf(OdeSystem sys, String key) {
    int bracket = key.indexOf('[');
    String name = bracket > 0 ? key.substring(0, bracket) : key;
    for (OdeSystem.ParamInfo info : sys.params()) if (info.var().name().equals(name)) return info;
    return null;
  }

  /**
   * The parameter vector of one experiment: the params keep their values in {@code base}, the
   * overrides (a conditions row) replace params or consts, and consts that were not overridden
   * are computed again from their expressions (so a const defined from an overridden one
   * follows it). {@code overridden} (may be null) receives which entries the overrides set.
   */
  public static double[] forExperiment(OdeSystem sys, double[] base, Map<String, Double> overrides, boolean[] overridden) {
    double[] p = base.clone();
    boolean[] fixed = new boolean[p.length];
    for (OdeSystem.ParamInfo info : sys.params()) {
      for (int i = 0; i < info.var().shape().size(); i++) fixed[info.var().offset() + i] = true;
    }
    boolean[] set = new boolean[p.length];
    apply(sys, overrides, p, set);
    for (int i = 0; i < p.length; i++) fixed[i] |= set[i];
    if (overridden != null) System.arraycopy(set, 0, overridden, 0, p.length);
    complete(sys, p, fixed, 0);
    return p;
  }

  private static void apply(OdeSystem sys, Map<String, Double> overrides, double[] p, boolean[] fixed) {
    Map<String, OdeSystem.Var> byName = new LinkedHashMap<>();
    for (OdeSystem.Var v : sys.pVars()) byName.put(v.name(), v);
    for (Map.Entry<String, Double> e : overrides.entrySet()) {
      Target t = target(sys, byName, e.getKey());
      for (int i = t.from; i < t.to; i++) {
        p[i] = e.getValue();
        fixed[i] = true;
      }
    }
  }

  /** Fills every entry not fixed from its default expression (in dependency order), then checks. */
  private static void complete(OdeSystem sys, double[] p, boolean[] fixed, long seed) {
    List<OdeSystem.Var> vars = sys.pVars();
    Interpreter interp = new Interpreter();
    double[] noY = new double[Math.max(1, sys.stateSize())];
    for (int idx : sys.defaultOrder()) {
      OdeSystem.Var v = vars.get(idx);
      int n = v.shape().size();
      boolean allFixed = true;
      for (int i = 0; i < n; i++) allFixed &= fixed[v.offset() + i];
      if (allFixed) continue;
      double[] value = new double[n];
      IrFunction f = sys.defaults().get(idx);
      if (f != null) {
        CompiledFunction cf = interp.compile(f);
        cf.eval(0.0, noY, p, value);
      } else {
        start(sys.params().get(idx), seed, value);
      }
      for (int i = 0; i < n; i++) {
        if (!fixed[v.offset() + i]) p[v.offset() + i] = value[i];
      }
    }
    for (OdeSystem.Var v : vars) {
      for (int i = 0; i < v.shape().size(); i++) {
        double x = p[v.offset() + i];
        if (!Double.isFinite(x)) {
          throw InputError.at(v.span(), "the value of '" + v.componentNames().get(i) + "' is " + x
              + " (computed from its expression in the model); check the values it depends on");
        }
      }
    }
  }

  private record Target(int from, int to) {}

  private static Target target(OdeSystem sys, Map<String, OdeSystem.Var> byName, String key) {
    String name = key;
    int bracket = key.indexOf('[');
    if (bracket > 0) name = key.substring(0, bracket);
    OdeSystem.Var v = byName.get(name);
    if (v == null) {
      for (OdeSystem.Var s : sys.states()) {
        if (s.name().equals(name)) {
          throw InputError.usage("'" + name + "' is a state; --set changes params and consts (a state's initial value "
              + "follows the params and consts its expression uses)");
        }
      }
      List<String> names = new ArrayList<>(byName.keySet());
      throw InputError.unknownName("unknown param or const '" + name + "' in --set" + Suggest.hint(name, names)
          + (names.isEmpty() ? "" : "; the model has " + String.join(", ", names)), name, Suggest.closest(name, names));
    }
    if (sys.structuralConsts().contains(name)) {
      throw InputError.usage("const '" + name + "' is used in an array size, an index, a bound or a prior, which "
          + "are fixed when the model is compiled; change it in the model file");
    }
    if (bracket < 0) return new Target(v.offset(), v.offset() + v.shape().size());
    int i = v.componentNames().indexOf(key.replace(" ", ""));
    if (i < 0) {
      throw InputError.usage("'" + key + "' is not a component of " + name + ": " + v.shape() + " has components "
          + v.componentNames().get(0) + " to " + v.componentNames().get(v.componentNames().size() - 1));
    }
    return new Target(v.offset() + i, v.offset() + i + 1);
  }

  /** A start value for a param without '=': a seeded prior draw, else the midpoint of its bounds in its scale. */
  private static void start(OdeSystem.ParamInfo info, long seed, double[] out) {
    Random rng = new Random(seed * 0x9E3779B97F4A7C15L + info.var().name().hashCode());
    for (int i = 0; i < out.length; i++) {
      double v = Double.NaN;
      if (info.prior() != null) {
        for (int tries = 0; tries < 100; tries++) {
          v = draw(info.prior(), info.priorArgs(), i, rng);
          if (Double.isNaN(info.lo()) || (v >= info.lo() && v <= info.hi())) break;
        }
        if (!Double.isNaN(info.lo())) v = Math.min(info.hi(), Math.max(info.lo(), v));
      } else if (!Double.isNaN(info.lo())) {
        v = info.scale().equals("lin") ? 0.5 * (info.lo() + info.hi()) : Math.sqrt(info.lo() * info.hi());
      }
      out[i] = v;
    }
  }

  /**
   * A random value of component i of a param, for drawn ensembles: from its prior (redrawn until
   * within its bounds, at most 100 times, then clipped), else uniform within its bounds in its
   * scale (log-uniform for {@code scale log}); NaN when it has neither.
   */
  public static double draw(OdeSystem.ParamInfo info, int i, Random rng) {
    boolean bounded = !Double.isNaN(info.lo());
    if (info.prior() != null) {
      double v = Double.NaN;
      for (int tries = 0; tries < 100; tries++) {
        v = draw(info.prior(), info.priorArgs(), i, rng);
        if (!bounded || (v >= info.lo() && v <= info.hi())) break;
      }
      return bounded ? Math.min(info.hi(), Math.max(info.lo(), v)) : v;
    }
    if (!bounded) return Double.NaN;
    double u = rng.nextDouble();
    if (info.scale().equals("lin")) return info.lo() + u * (info.hi() - info.lo());
    return Math.exp(Math.log(info.lo()) + u * (Math.log(info.hi()) - Math.log(info.lo())));
  }

  private static double draw(String dist, List<double[]> args, int i, Random rng) {
    return dev.odec.infer.Distributions.sample(dist, arg(args, 0, i), args.size() > 1 ? arg(args, 1, i) : Double.NaN,
        rng);
  }

  private static double arg(List<double[]> args, int k, int i) {
    double[] v = args.get(k);
    return v[v.length == 1 ? 0 : i];
  }
}
