package dev.odec.cli;

import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sens.GradientProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The data a likelihood is computed from (grad, fit, profile): files, window and --map. */
public final class DataOptions {
  @CommandLine.Option(names = "--data", paramLabel = "DATA.csv",
      description = "The data file (required unless the model is a PEtab problem, which brings its own).")
  Path data;

  @CommandLine.Option(names = "--conditions", paramLabel = "COND.csv", description = "Per-experiment overrides.")
  Path conditions;

  @CommandLine.Option(names = "--map", description = "Add the negative log priors (maximum a posteriori objective).")
  boolean map;

  @CommandLine.Option(names = "--t0", paramLabel = "T0", defaultValue = "0", description = "Start time (default 0).")
  double t0;

  @CommandLine.Option(names = "--t1", paramLabel = "T", description = "End of the window (default: the last data time).")
  Double t1;

  /** The data and conditions read and checked against the model, with the observation window. */
  record Loaded(DataSet data, Conditions conditions, double t0, double t1) {}

  Loaded load(OdeSystem sys, ModelOption model, java.io.PrintWriter err) {
    if (sys.observables().isEmpty() && sys.rates().isEmpty()) {
      throw InputError.usage("model '" + sys.name() + "' has no observe or rate statements, so there is nothing to fit to data");
    }
    Path data = model.data(this.data, err);
    Path conditions = model.conditions(this.conditions, err);
    DataSet ds = DataSet.read(data, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    Conditions cond = null;
    if (conditions != null) {
      List<String> names = sys.pVars().stream().map(OdeSystem.Var::name).toList();
      cond = Conditions.read(conditions, names);
      cond.checkCovers(ds);
    }
    double end = t1 != null ? t1 : ds.maxTime();
    if (ds.minTime() < t0) ds.checkWithin(t0, Math.max(end, t0)); // data before the start: name the row
    if (!(end > t0)) {
      throw InputError.usage("the window [" + Numbers.format(t0) + ", " + Numbers.format(end)
          + "] is empty: give --t1 after --t0 (the data's last time is " + Numbers.format(ds.maxTime()) + ")");
    }
    ds.checkWithin(t0, end);
    List<String> columnDists = new ArrayList<>();
    for (OdeSystem.Observable o : sys.observables()) {
      int size = 1;
      for (var a : o.args()) size = Math.max(size, a.size());
      for (int k = 0; k < size; k++) columnDists.add(o.dist());
    }
    ds.checkSupport(columnDists);
    return new Loaded(ds, cond, t0, end);
  }
}
