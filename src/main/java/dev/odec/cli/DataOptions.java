package dev.odec.cli;

import dev.odec.api.Data;
import dev.odec.api.Model;
import dev.odec.ir.OdeSystem;
import dev.odec.sens.Measurements;
import java.nio.file.Path;
import picocli.CommandLine;

/** The data a likelihood is computed from (grad, fit, profile): files, window and --map. */
public final class DataOptions {
  @CommandLine.Option(names = "--data", required = true, paramLabel = "DATA.csv", description = "The data file.")
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
  Measurements load(OdeSystem sys) {
    return Measurements.load(sys, data, conditions, t0, t1);
  }

  /** The same through the Java API (for its clients: grad). */
  Data load(Model model) {
    return model.loadData(data, conditions, t0, t1 == null ? Double.NaN : t1);
  }
}
