package dev.odec.cli;

import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.Training;
import dev.odec.infer.optim.FitProblem;
import dev.odec.infer.optim.ParameterSpace;
import dev.odec.infer.optim.StopRules;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Suggest;
import dev.odec.sens.GradientMethods;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/** The options of parameter estimation shared by {@code fit} and {@code profile}, and the setup they share. */
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

  /** Everything a fit or profile needs, prepared and checked. */
  record Setup(FitProblem problem, double[] nominal, Fit.Settings settings, String optimizer) {}

  Setup prepare(ModelOption model, SolverOptionsMixin solve, DataOptions dataOptions, PrintWriter err, int starts,
      AtomicBoolean cancelled) {
    if (maxIter < 1) throw InputError.usage("--max-iter must be at least 1, got " + maxIter);
    if (timeLimit != null && !(timeLimit > 0)) throw InputError.usage("--time-limit must be positive, got " + timeLimit);
    if (threads != null && threads < 1) throw InputError.usage("--threads must be at least 1, got " + threads);
    for (double tol : new double[] {gtol, xtol, ftol}) {
      if (!(tol >= 0) || !Double.isFinite(tol)) throw InputError.usage("--gtol, --xtol and --ftol must be non-negative numbers");
    }
    if (!lrSchedule.equals("cosine") && !lrSchedule.equals("constant")) {
      throw InputError.usage("unknown --lr-schedule '" + lrSchedule + "'; choose cosine or constant");
    }
    if (!(lr > 0)) throw InputError.usage("--lr must be positive, got " + lr);
    if (epochs < 1) throw InputError.usage("--epochs must be at least 1, got " + epochs);
    if (batch < 0) throw InputError.usage("--batch must be 0 (all) or more, got " + batch);
    Training training = training(starts);
    if (!GradientMethods.NAMES.contains(method) && !method.equals("backsolve")) {
      GradientMethods.byName(method, 0, false); // the usual message with the choices
    }
    if (optimizer != null && !Fit.OPTIMIZERS.contains(optimizer)) {
      throw InputError.usage("unknown optimizer '" + optimizer + "'" + Suggest.hint(optimizer, Fit.OPTIMIZERS)
          + "; choose one of " + String.join(", ", Fit.OPTIMIZERS));
    }
    solve.requireJvmBackend("fitting");
    solve.stiffByDefault(model.isPetab());
    Method m = solve.method();
    SolverOptions options = solve.options(m);
    OdeSystem sys = model.system(err);
    DataOptions.Loaded in = dataOptions.load(sys, model, err);
    warnUnobserved(sys, in, err);
    Map<String, Double> overrides = solve.overrides();
    double[] p = Parameters.build(sys, overrides, solve.seed);
    boolean[] held = new boolean[p.length];
    for (int i = 0; i < p.length; i++) held[i] = true;
    for (OdeSystem.ParamInfo info : sys.params()) {
      for (int i = 0; i < info.var().shape().size(); i++) held[info.var().offset() + i] = false;
    }
    for (String name : fix) hold(sys, name, held);
    clampIntoBounds(sys, p, held, err);
    ParameterSpace space = new ParameterSpace(sys, p, held);
    if (space.size() == 0) throw InputError.usage("every param is fixed: nothing to estimate");
    FitProblem fp = new FitProblem(sys, () -> model.system(new PrintWriter(java.io.Writer.nullWriter())),
        () -> Backends.byName(solve.backend), in.data(), in.conditions(), in.t0(), in.t1(), m, options, method,
        dataOptions.map, space);
    String obstacle = fp.leastSquaresObstacle();
    String chosen = optimizer;
    if (chosen == null) chosen = obstacle == null ? "ls" : "lbfgs";
    if (chosen.equals("ls") && obstacle != null) {
      throw InputError.usage("--optimizer ls needs normal or lognormal observations only, but " + obstacle
          + "; use --optimizer lbfgs");
    }
    long deadline = timeLimit == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeLimit * 1e9);
    StopRules stop = new StopRules(maxIter, gtol, xtol, ftol, deadline, cancelled::get);
    int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (training != null && !chosen.equals("adam")) {
      throw InputError.usage("--checkpoint, --resume and --loss-curve belong to --optimizer adam");
    }
    Fit.Settings settings = new Fit.Settings(chosen, starts, solve.seed, nThreads, stop, epochs, batch, lr,
        lrSchedule.equals("cosine"), training);
    return new Setup(fp, space.toTheta(p), settings, chosen);
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
   * Refuses to replace an existing checkpoint or loss curve without --force; the checkpoint being
   * resumed from may be overwritten as training goes on.
   */
  void checkTrainingFiles(boolean force, Path model) {
    if (checkpoint != null && !checkpoint.equals(resume)) OutputFiles.checkWritable(checkpoint, force, model);
    if (lossCurve != null && !(resume != null && java.nio.file.Files.exists(lossCurve))) {
      OutputFiles.checkWritable(lossCurve, force, model);
    }
  }

  /** Warns about observables of the model that the data never observe (they add nothing to the fit). */
  private static void warnUnobserved(OdeSystem sys, DataOptions.Loaded in, PrintWriter err) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String id : in.data().experiments()) {
      for (var o : in.data().observations(id)) seen.add(o.columnName().replaceAll("\\[.*", ""));
      for (var e : in.data().events(id)) seen.add(e.rateName());
    }
    for (OdeSystem.Observable o : sys.observables()) {
      if (!seen.contains(o.name())) {
        err.println("odec: warning: observable '" + o.name() + "' has no data in " + in.data().fileName()
            + "; it does not inform the fit");
      }
    }
  }

  private static void hold(OdeSystem sys, String name, boolean[] held) {
    String base = name.contains("[") ? name.substring(0, name.indexOf('[')) : name;
    List<String> names = new ArrayList<>();
    for (OdeSystem.ParamInfo info : sys.params()) {
      names.add(info.var().name());
      if (!info.var().name().equals(base)) continue;
      List<String> comps = info.var().componentNames();
      if (base.equals(name)) {
        for (int i = 0; i < comps.size(); i++) held[info.var().offset() + i] = true;
        return;
      }
      int i = comps.indexOf(name.replace(" ", ""));
      if (i < 0) throw InputError.usage("--fix " + name + ": not a component of " + base + " " + info.var().shape());
      held[info.var().offset() + i] = true;
      return;
    }
    for (OdeSystem.Var c : sys.consts()) {
      if (c.name().equals(base)) return; // consts are never estimated
    }
    throw InputError.usage("--fix: unknown param '" + name + "'" + Suggest.hint(base, names)
        + (names.isEmpty() ? "" : "; the model's params are " + String.join(", ", names)));
  }

  /** A start value outside its param's bounds is clamped onto them, with a warning. */
  private static void clampIntoBounds(OdeSystem sys, double[] p, boolean[] held, PrintWriter err) {
    for (OdeSystem.ParamInfo info : sys.params()) {
      if (Double.isNaN(info.lo())) continue;
      List<String> comps = info.var().componentNames();
      for (int i = 0; i < comps.size(); i++) {
        int k = info.var().offset() + i;
        if (held[k]) continue;
        double v = p[k];
        if (v >= info.lo() && v <= info.hi()) continue;
        double c = Math.min(info.hi(), Math.max(info.lo(), v));
        err.println("odec: warning: the start value of '" + comps.get(i) + "' (" + Numbers.format(v)
            + ") is outside its bounds [" + Numbers.format(info.lo()) + ", " + Numbers.format(info.hi())
            + "]; starting at " + Numbers.format(c));
        p[k] = c;
      }
    }
  }
}
