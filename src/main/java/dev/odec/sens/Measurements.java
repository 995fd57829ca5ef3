package dev.odec.sens;

import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.infer.Decimals;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data a likelihood is computed from, read and checked against a model: the measurements,
 * the per-experiment conditions (or null) and the observation window [t0, t1]. Shared by
 * {@code odec grad}, {@code fit}, {@code profile} and the Java API, so that every one of them
 * refuses the same data with the same words.
 */
public record Measurements(DataSet data, Conditions conditions, double t0, double t1) {
  /** Refuses a model that has nothing to compare with data (no observe or rate statements). */
  public static void requireObservations(OdeSystem sys) {
    if (sys.observables().isEmpty() && sys.rates().isEmpty()) {
      throw InputError.usage("model '" + sys.name() + "' has no observe or rate statements, so there is nothing to fit to data");
    }
  }

  /**
   * Reads {@code data} (and {@code conditions}, may be null) for {@code sys}, with the window
   * [t0, t1] ({@code t1} null: the data's last time).
   */
  public static Measurements load(OdeSystem sys, Path data, Path conditions, double t0, Double t1) {
    requireObservations(sys);
    DataSet ds = DataSet.read(data, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    Conditions cond = null;
    if (conditions != null) {
      List<String> names = sys.pVars().stream().map(OdeSystem.Var::name).toList();
      cond = Conditions.read(conditions, names);
      cond.checkCovers(ds);
    }
    double end = t1 != null ? t1 : ds.maxTime();
    if (t1 != null && !(end > t0)) {
      throw InputError.usage("--t1 " + Decimals.shortest(end) + " must come after --t0 " + Decimals.shortest(t0));
    }
    if (ds.minTime() < t0) ds.checkWithin(t0, Math.max(end, t0)); // data before the start: name the row
    if (!(end > t0)) {
      throw InputError.usage("the window [" + Decimals.shortest(t0) + ", " + Decimals.shortest(end)
          + "] is empty: give --t1 after --t0 (the data's last time is " + Decimals.shortest(ds.maxTime()) + ")");
    }
    ds.checkWithin(t0, end);
    List<String> columnDists = new ArrayList<>();
    for (OdeSystem.Observable o : sys.observables()) {
      int size = 1;
      for (var a : o.args()) size = Math.max(size, a.size());
      for (int k = 0; k < size; k++) columnDists.add(o.dist());
    }
    ds.checkSupport(columnDists);
    return new Measurements(ds, cond, t0, end);
  }
}
