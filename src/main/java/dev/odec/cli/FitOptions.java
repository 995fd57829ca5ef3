package dev.odec.cli;

import dev.odec.infer.optim.FitSetup;
import dev.odec.infer.optim.Training;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.sens.GradientModel;
import dev.odec.sens.Measurements;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/** The options of parameter estimation shared by {@code fit} and {@code profile}; {@link FitSetup} prepares the fit. */
public final class FitOptions {
  @CommandLine.Option(names = "--fix", paramLabel = "NAME",
      description = "Hold a param (or one component, NAME[i]) at its value (nominal or --set). Repeatable.")
  List<String> fix = new ArrayList<>();

  @CommandLine.Option(names = "--optimizer", paramLabel = "ls|lbfgs|adam",
      description = "ls (trust-region least squares; default when every observable is normal or lognormal), lbfgs "
          + "(bounded quasi-Newton; any likelihood), adam (mini-batches of experiments).")
  String optimizer;

  @CommandLine.Option(names = "--method", paramLabel = "NAME", defaultValue = "auto",
      description = "Gradient method of lbfgs and adam: adjoint, checkpoint, forward, discrete, auto (default).")
  String method;

  @CommandLine.Option(names = "--threads", paramLabel = "N", description = "Threads for the starts (default: all cores).")
  Integer threads;

  @CommandLine.Option(names = "--max-iter", paramLabel = "N", defaultValue = "1000",
      description = "Iterations per start (default 1000; epochs for adam come from --epochs).")
  int maxIter;

  @CommandLine.Option(names = "--time-limit", paramLabel = "SECONDS",
      description = "Stop every start after this long; starts not begun are skipped.")
  Double timeLimit;

  @CommandLine.Option(names = "--gtol", paramLabel = "X", defaultValue = "1e-8", description = "Stop when the scaled gradient is below X (default 1e-8).")
  double gtol;

  @CommandLine.Option(names = "--xtol", paramLabel = "X", defaultValue = "1e-8", description = "Stop when the relative step is below X (default 1e-8).")
  double xtol;

  @CommandLine.Option(names = "--ftol", paramLabel = "X", defaultValue = "1e-8",
      description = "Stop when the relative decrease of the objective is below X (default 1e-8).")
  double ftol;

  @CommandLine.Option(names = "--epochs", paramLabel = "N", defaultValue = "200", description = "adam: passes over the experiments (default 200).")
  int epochs;

  @CommandLine.Option(names = "--batch", paramLabel = "N", defaultValue = "0", description = "adam: experiments per mini-batch (default: all).")
  int batch;

  @CommandLine.Option(names = "--lr", paramLabel = "X", defaultValue = "0.05", description = "adam: learning rate (default 0.05).")
  double lr;

  @CommandLine.Option(names = "--lr-schedule", paramLabel = "cosine|constant", defaultValue = "cosine",
      description = "adam: cosine annealing to lr/100 over the epochs (default), or constant.")
  String lrSchedule;

  @CommandLine.Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
  boolean progress;

  @CommandLine.Option(names = "--checkpoint", paramLabel = "FILE",
      description = "adam: write Adam's whole state here every --checkpoint-every epochs (never after a non-finite loss).")
  Path checkpoint;

  @CommandLine.Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "10",
      description = "adam: epochs between checkpoints (default 10).")
  int checkpointEvery;

  @CommandLine.Option(names = "--resume", paramLabel = "FILE", description = "adam: continue from a checkpoint.")
  Path resume;

  @CommandLine.Option(names = "--loss-curve", paramLabel = "FILE.csv",
      description = "adam: write epoch,loss,best for every epoch (plot it with any CSV tool).")
  Path lossCurve;

  /** Prepares a fit or profile (see {@link FitSetup}); warnings go to {@code err}. */
  FitSetup prepare(ModelOption model, SolverOptionsMixin solve, DataOptions dataOptions, PrintWriter err, int starts,
      AtomicBoolean cancelled) {
    FitSetup.Request request = new FitSetup.Request(optimizer, method, threads, maxIter, timeLimit, gtol, xtol, ftol,
        epochs, batch, lr, lrSchedule, fix, starts, solve.seed, dataOptions.map, training(starts));
    solve.requireJvmBackend("fitting");
    solve.stiffByDefault(model.isPetab());
    Method m = solve.method();
    SolverOptions options = solve.options(m);
    OdeSystem sys = model.system(err);
    Measurements in = dataOptions.load(sys, model, err);
    double[] p = Parameters.build(sys, solve.overrides(), solve.seed);
    GradientModel gm = new GradientModel(sys, Backends.byName(solve.backend));
    return FitSetup.prepare(gm, in, m, options, p, request, cancelled::get, w -> err.println("odec: warning: " + w));
  }

  /** The training files, checked; null when none is asked for. */
  private Training training(int starts) {
    if (checkpoint == null && resume == null && lossCurve == null) return null;
    if (starts != 1) {
      throw InputError.usage("--checkpoint, --resume and --loss-curve follow one training run: add --starts 1");
    }
    if (checkpointEvery < 1) throw InputError.usage("--checkpoint-every must be at least 1, got " + checkpointEvery);
    if (resume != null && !java.nio.file.Files.isRegularFile(resume)) {
      throw InputError.usage("--resume " + resume + ": no such checkpoint");
    }
    return new Training(checkpoint, checkpointEvery, resume, lossCurve);
  }

  /**
   * The training files as outputs by option, for {@link OutputFiles#checkDistinct(Map)}: the
   * checkpoint being resumed from may be overwritten as training goes on, and so may the loss
   * curve of a resumed run, so those are not outputs here.
   */
  Map<String, Path> trainingOutputs() {
    Map<String, Path> out = new LinkedHashMap<>();
    if (checkpoint != null && !checkpoint.equals(resume)) out.put("--checkpoint", checkpoint);
    if (lossCurve != null && !(resume != null && java.nio.file.Files.exists(lossCurve))) out.put("--loss-curve", lossCurve);
    return out;
  }
}
