package dev.odec.cli;

import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.MultiStart;
import dev.odec.infer.optim.FitSetup;
import dev.odec.infer.optim.Uncertainty;
import dev.odec.ir.OdeSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec fit}: multi-start estimation of the params from data, with standard errors. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Estimate the params from data: multi-start bounded optimisation of the negative log-likelihood.")
final class FitCommand implements Callable<Integer> {
  /** The exit code of an interrupted command (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Mixin DataOptions dataOptions;
  @CommandLine.Mixin FitOptions fitOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--starts", paramLabel = "N", defaultValue = "10",
      description = "Starts (default 10): the nominal values, then a Latin hypercube in the params' scales within bounds.")
  int starts;

  @CommandLine.Option(names = "--out", paramLabel = "FIT.json", description = "Write the result as JSON.")
  Path out;

  @CommandLine.Option(names = "--out-params", paramLabel = "FILE",
      description = "Write the best params as NAME=VALUE lines (for --set @FILE).")
  Path outParams;

  @CommandLine.Option(names = "--plot", paramLabel = "FIT.svg|FIT.png",
      description = "Draw the data with the fitted observables per experiment, and the sorted start objectives.")
  Path plot;

  @CommandLine.Option(names = "--force", description = "Allow --out, --out-params and --plot to replace existing files.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Path> outputs = new LinkedHashMap<>();
    outputs.put("--out", out);
    outputs.put("--out-params", outParams);
    outputs.put("--plot", plot);
    outputs.putAll(fitOptions.trainingOutputs());
    for (Path p : outputs.values()) OutputFiles.check(p, force, dataOptions.inputs(model));
    OutputFiles.checkDistinct(outputs);
    if (plot != null) Plotter.checkFormat(plot);
    try (Interrupt interrupt = Interrupt.install()) {
      FitSetup setup = fitOptions.prepare(model, solve, dataOptions, err, starts, interrupt.flag);
      double[][] points = setup.startPoints();
      Fit.Result result;
      try (Progress progress = Progress.open(err, fitOptions.progress, "fit", starts)) {
        result = Fit.run(setup.problem(), points, setup.settings(), (r, done, total, best) ->
            progress.step(done, total, "best " + Numbers.format(best)));
      }
      FitReport report = new FitReport(setup.problem(), setup.optimizer(), result);
      if (result.best() < 0) {
        err.println("odec: numerical failure: every start failed: " + report.failureSummary());
        err.flush();
        return ExitCode.NUMERICAL;
      }
      List<Path> inputs = dataOptions.inputs(model); // with the imports, now that the model is compiled
      if (out != null) OutputFiles.write(out, force, inputs, f -> f.writer().write(report.json()));
      if (outParams != null) OutputFiles.write(outParams, force, inputs, f -> f.writer().write(report.assignments()));
      PrintWriter o = spec.commandLine().getOut();
      o.print(report.table());
      o.flush();
      report.warnings(err);
      if (plot != null) OutputFiles.write(plot, force, inputs, f -> FitPlots.fit(plot, f.stream(), setup.problem(), result));
      if (interrupt.interrupted()) {
        err.println("odec: interrupted; the best result so far" + (out != null ? " is written to " + out : " is shown above"));
        err.flush();
        return INTERRUPTED;
      }
    }
    return ExitCode.OK;
  }
}
