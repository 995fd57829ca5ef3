package dev.odec.runtime;

import dev.odec.ir.OdeSystem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The members of an ensemble ({@code odec run --ensemble FILE.csv|N}): one parameter vector and
 * one initial state per member. Members come from the rows of an ensemble file (each row's
 * overrides on top of the {@code --set} ones) or are drawn: every param that {@code --set} does not
 * fix, component by component, from its prior (redrawn until inside its bounds, at most 100
 * times, then clipped) or else uniformly within its bounds in its scale (log-uniform for
 * {@code scale log}); a param with neither keeps its nominal value. Draws come from one
 * {@link Random} seeded with {@code --seed}, member after member, so an ensemble is reproducible.
 * Consts keep their values; defaults computed from params follow the drawn values.
 *
 * @param p each member's parameter vector
 * @param y0 each member's initial state y0(p)
 * @param origins where each member came from, for messages ({@code FILE:LINE} or {@code member N})
 */
public record Ensemble(List<double[]> p, List<double[]> y0, List<String> origins) {
  public int size() {
    return p.size();
  }

  /** The members of an ensemble file's rows, each on top of {@code base} (the {@code --set} overrides). */
  public static Ensemble ofRows(CompiledModel cm, List<Map<String, Double>> rows, List<String> origins,
      Map<String, Double> base, long seed) {
    OdeSystem sys = cm.system();
    List<double[]> ps = new ArrayList<>(rows.size());
    for (int m = 0; m < rows.size(); m++) {
      Map<String, Double> overrides = new LinkedHashMap<>(base);
      for (Map.Entry<String, Double> e : rows.get(m).entrySet()) {
        String name = e.getKey();
        int bracket = name.indexOf('[');
        String whole = bracket > 0 ? name.substring(0, bracket) : name;
        if (base.containsKey(name) || base.containsKey(whole)) {
          throw InputError.usage(origins.get(m) + ": the ensemble file sets '" + name + "', which --set also sets; "
              + "give it in one place");
        }
        overrides.put(name, e.getValue());
      }
      ps.add(withOrigin(origins.get(m), () -> Parameters.build(sys, overrides, seed)));
    }
    return complete(cm, ps, origins);
  }

  /** n members drawn from the params' priors or bounds (see the class comment). */
  public static Ensemble sample(CompiledModel cm, int n, Map<String, Double> base, long seed) {
    if (n < 1) throw InputError.usage("--ensemble N needs at least one member, got " + n);
    OdeSystem sys = cm.system();
    Random rng = new Random(seed);
    List<double[]> ps = new ArrayList<>(n);
    List<String> origins = new ArrayList<>(n);
    double[] nominal = Parameters.build(sys, base, seed);
    for (int m = 0; m < n; m++) {
      Map<String, Double> overrides = new LinkedHashMap<>(base);
      for (OdeSystem.ParamInfo info : sys.params()) {
        OdeSystem.Var v = info.var();
        if (base.containsKey(v.name())) continue;
        List<String> comps = v.componentNames();
        for (int i = 0; i < comps.size(); i++) {
          if (base.containsKey(comps.get(i))) continue;
          double x = Parameters.draw(info, i, rng);
          overrides.put(comps.get(i), Double.isNaN(x) ? nominal[v.offset() + i] : x);
        }
      }
      String origin = "member " + (m + 1);
      origins.add(origin);
      ps.add(withOrigin(origin, () -> Parameters.build(sys, overrides, seed)));
    }
    return complete(cm, ps, origins);
  }

  private static Ensemble complete(CompiledModel cm, List<double[]> ps, List<String> origins) {
    List<double[]> y0 = new ArrayList<>(ps.size());
    for (int m = 0; m < ps.size(); m++) {
      double[] p = ps.get(m);
      y0.add(withOrigin(origins.get(m), () -> cm.initialState(p)));
    }
    return new Ensemble(List.copyOf(ps), List.copyOf(y0), List.copyOf(origins));
  }

  private static double[] withOrigin(String origin, java.util.function.Supplier<double[]> f) {
    try {
      return f.get();
    } catch (InputError e) {
      throw new InputError(e.kind(), origin + ": " + e.getMessage());
    }
  }
}
