package dev.odec.cli;

import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.OptimResult;
import dev.odec.infer.optim.ParameterSpace;
import dev.odec.infer.optim.Profile;
import dev.odec.infer.optim.FitSetup;
import dev.odec.runtime.InputError;
import dev.odec.sema.Suggest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec profile}: profile likelihoods and their 95 % intervals. */
// picocli formats descriptions with String.format: "%%" prints one percent sign
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Profile likelihoods: re-optimise the other params along each --param, with 95 %% intervals.")
final class ProfileCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Mixin DataOptions dataOptions;
  @CommandLine.Mixin FitOptions fitOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--param", required = true, paramLabel = "NAME",
      description = "A parameter (component) to profile. Repeatable.")
  List<String> params;

  @CommandLine.Option(names = "--starts", paramLabel = "N", defaultValue = "1",
      description = "Starts of the fit that finds the optimum first (default 1: from the nominal values or --set @FIT).")
  int starts;

  @CommandLine.Option(names = "--out", paramLabel = "P.csv", description = "Write the profiles (param,value,objective).")
  Path out;

  @CommandLine.Option(names = "--plot", paramLabel = "P.svg|P.png", description = "Draw the profiles with the threshold.")
  Path plot;

  @CommandLine.Option(names = "--force", description = "Allow --out and --plot to replace existing files.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    OutputFiles.check(out, force, dataOptions.inputs(model));
    OutputFiles.check(plot, force, dataOptions.inputs(model));
    OutputFiles.checkDistinct(out, plot, "--out", "--plot");
    if (plot != null) Plotter.checkFormat(plot);
    try (Interrupt interrupt = Interrupt.install()) {
      FitSetup setup = fitOptions.prepare(model, solve, dataOptions, err, starts, interrupt.flag);
      ParameterSpace space = setup.problem().space;
      List<String> names = space.components().stream().map(ParameterSpace.Component::name).toList();
      List<Integer> which = new ArrayList<>();
      for (String p : params) {
        int j = names.indexOf(p);
        if (j < 0) {
          throw InputError.usage("--param " + p + ": not an estimated param" + Suggest.hint(p, names)
              + "; the estimated ones are " + String.join(", ", names));
        }
        which.add(j);
      }
      double[][] points = setup.startPoints();
      Fit.Result fit = Fit.run(setup.problem(), points, setup.settings(), null);
      if (fit.best() < 0) {
        err.println("odec: numerical failure: the fit before the profiles failed: "
            + new FitReport(setup.problem(), setup.optimizer(), fit).failureSummary());
        return ExitCode.NUMERICAL;
      }
      List<Profile.Result> results = new ArrayList<>();
      try (Progress progress = Progress.open(err, fitOptions.progress, "profile", which.size())) {
        for (int k = 0; k < which.size(); k++) {
          int j = which.get(k);
          double se = fit.uncertainty() == null ? Double.NaN : fit.uncertainty().se[j];
          double first = Double.isFinite(se) && se > 0 ? Math.min(1, Math.max(1e-3, 0.3 * se)) : 0.1;
          results.add(Profile.of(setup.problem(), setup.settings(), fit.theta(), fit.objective(), j, first,
              setup.settings().stop()));
          progress.step(k + 1, which.size(), names.get(j));
        }
      }
      StringBuilder csv = new StringBuilder("param,value,objective\n");
      for (Profile.Result r : results) {
        for (Profile.Point pt : r.points()) {
          csv.append(Csv.field(names.get(r.index()))).append(',').append(Numbers.format(space.natural(r.index(), pt.value())))
              .append(',').append(Numbers.format(pt.objective())).append('\n');
        }
      }
      List<Path> inputs = dataOptions.inputs(model); // with the imports, now that the model is compiled
      OutputFiles.emit(out, force, inputs, csv.toString(), spec.commandLine().getOut());
      err.println("odec: optimum " + Numbers.format(fit.objective()) + "; 95 % profile-likelihood intervals (objective "
          + "within " + Numbers.format(Profile.threshold(0.95)) + " of the optimum):");
      for (Profile.Result r : results) {
        String name = names.get(r.index());
        double est = space.natural(r.index(), fit.theta()[r.index()]);
        err.println("  " + name + " = " + Numbers.format(est) + "  [" + end(space, r, r.lower()) + ", "
            + end(space, r, r.upper()) + "]");
      }
      if (plot != null) {
        OutputFiles.write(plot, force, inputs, o -> FitPlots.profiles(plot, o.stream(), setup.problem(), results, fit.objective()));
      }
      err.flush();
      if (interrupt.interrupted()) {
        err.println("odec: interrupted; the profiles are cut short");
        return FitCommand.INTERRUPTED;
      }
    }
    return ExitCode.OK;
  }

  private static String end(ParameterSpace space, Profile.Result r, double theta) {
    if (Double.isNaN(theta)) return "open (the profile stays below the threshold)";
    return Numbers.format(space.natural(r.index(), theta));
  }
}
