package dev.odec.cli;

import dev.odec.api.Data;
import dev.odec.api.Model;
import dev.odec.importer.PetabCache;
import dev.odec.ir.OdeSystem;
import dev.odec.sens.Measurements;
import java.nio.file.Files;
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

  /**
   * The data and conditions read and checked against the model, with the observation window; a
   * PEtab problem brings its own files (see {@link ModelOption#data}).
   */
  Measurements load(OdeSystem sys, ModelOption model, java.io.PrintWriter err) {
    Measurements.requireObservations(sys);
    return Measurements.load(sys, model.data(data, err), model.conditions(conditions, err), t0, t1);
  }

  /** The same through the Java API (for its clients: grad). */
  Data load(Model m, ModelOption model, java.io.PrintWriter err) {
    return m.loadData(model.data(data, err), model.conditions(conditions, err), t0, t1 == null ? Double.NaN : t1);
  }

  /**
   * Every file the run reads (the model, its imports, data, conditions; a PEtab problem's files):
   * outputs never replace them.
   */
  List<Path> inputs(ModelOption model) {
    List<Path> all = new ArrayList<>(model.inputs());
    if (data != null) all.add(data);
    if (conditions != null) all.add(conditions);
    if (model.isPetab() && Files.isRegularFile(model.model)) all.addAll(PetabCache.problemFiles(model.model));
    return all;
  }
}
