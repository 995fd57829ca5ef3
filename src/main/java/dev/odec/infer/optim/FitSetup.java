package dev.odec.infer.optim;

import dev.odec.infer.Decimals;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sema.Suggest;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.Measurements;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Everything a fit or a profile needs, prepared and checked in one place for {@code odec fit},
 * {@code odec profile} and the Java API ({@code dev.odec.api}): which param components are
 * estimated, the start values clamped into their bounds, the objective ({@link FitProblem}), the
 * optimizer (least squares when every observation is normal or lognormal, else L-BFGS) and its
 * stopping rules.
 *
 * @param nominal the first start, θ of the nominal (or given) values
 */
public record FitSetup(FitProblem problem, double[] nominal, Fit.Settings settings, String optimizer) {
  /**
   * What a fit is asked to do, checked on construction (the messages name the settings as the
   * command line spells them). {@code optimizer} null chooses by the likelihood; {@code threads}
   * null uses every core; {@code timeLimit} null has none; {@code fix} names params or components
   * held at their values; {@code training} (Adam's loss curve, checkpoints and resume) null has none.
   */
  public record Request(String optimizer, String gradientMethod, Integer threads, int maxIter, Double timeLimit,
      double gtol, double xtol, double ftol, int epochs, int batch, double lr, String lrSchedule, List<String> fix,
      int starts, long seed, boolean map, Training training) {
    /** A request without training files. */
    public Request(String optimizer, String gradientMethod, Integer threads, int maxIter, Double timeLimit,
        double gtol, double xtol, double ftol, int epochs, int batch, double lr, String lrSchedule, List<String> fix,
        int starts, long seed, boolean map) {
      this(optimizer, gradientMethod, threads, maxIter, timeLimit, gtol, xtol, ftol, epochs, batch, lr, lrSchedule, fix,
          starts, seed, map, null);
    }

    public Request {
      if (starts < 1) throw InputError.usage("--starts must be at least 1, got " + starts);
      if (maxIter < 1) throw InputError.usage("--max-iter must be at least 1, got " + maxIter);
      if (timeLimit != null && !(timeLimit > 0)) throw InputError.usage("--time-limit must be positive, got " + timeLimit);
      if (threads != null && threads < 1) throw InputError.usage("--threads must be at least 1, got " + threads);
      for (double tol : new double[] {gtol, xtol, ftol}) {
        if (!(tol >= 0) || !Double.isFinite(tol)) {
          throw InputError.usage("--gtol, --xtol and --ftol must be non-negative numbers");
        }
      }
      if (!lrSchedule.equals("cosine") && !lrSchedule.equals("constant")) {
        throw InputError.usage("unknown --lr-schedule '" + lrSchedule + "'; choose cosine or constant");
      }
      if (!(lr > 0)) throw InputError.usage("--lr must be positive, got " + lr);
      if (epochs < 1) throw InputError.usage("--epochs must be at least 1, got " + epochs);
      if (batch < 0) throw InputError.usage("--batch must be 0 (all) or more, got " + batch);
      if (!GradientMethods.NAMES.contains(gradientMethod) && !gradientMethod.equals("backsolve")) {
        GradientMethods.byName(gradientMethod, 0, false); // the usual message with the choices
      }
      if (optimizer != null && !Fit.OPTIMIZERS.contains(optimizer)) {
        throw InputError.usage("unknown optimizer '" + optimizer + "'" + Suggest.hint(optimizer, Fit.OPTIMIZERS)
            + "; choose one of " + String.join(", ", Fit.OPTIMIZERS));
      }
      fix = List.copyOf(fix);
    }

    /** The defaults of {@code odec fit}: 10 starts, seed 1, 1000 iterations, tolerances 1e-8. */
    public static Request defaults() {
      return new Request(null, "auto", null, 1000, null, 1e-8, 1e-8, 1e-8, 200, 0, 0.05, "cosine", List.of(), 10, 1,
          false);
    }
  }

  /**
   * Prepares a fit of {@code model} to {@code in} from the parameter vector {@code p} (nominal
   * values with any overrides); start values outside their bounds are clamped onto them and
   * reported to {@code warnings}, as are observables without data.
   *
   * @param cancelled polled by the optimizers (Ctrl-C); they stop with their best point so far
   */
  public static FitSetup prepare(GradientModel model, Measurements in, Method method, SolverOptions options,
      double[] p, Request request, BooleanSupplier cancelled, Consumer<String> warnings) {
    OdeSystem sys = model.system();
    warnUnobserved(sys, in, warnings);
    p = p.clone();
    boolean[] held = new boolean[p.length];
    for (int i = 0; i < p.length; i++) held[i] = true;
    for (OdeSystem.ParamInfo info : sys.params()) {
      for (int i = 0; i < info.var().shape().size(); i++) held[info.var().offset() + i] = false;
    }
    for (String name : request.fix()) hold(sys, name, held);
    clampIntoBounds(sys, p, held, warnings);
    ParameterSpace space = new ParameterSpace(sys, p, held);
    if (space.size() == 0) throw InputError.usage("every param is fixed: nothing to estimate");
    FitProblem fp = new FitProblem(model, in.data(), in.conditions(), in.t0(), in.t1(), method, options,
        request.gradientMethod(), request.map(), space);
    String obstacle = fp.leastSquaresObstacle();
    String chosen = request.optimizer();
    if (chosen == null) chosen = obstacle == null ? "ls" : "lbfgs";
    if (chosen.equals("ls") && obstacle != null) {
      throw InputError.usage("--optimizer ls needs normal or lognormal observations only, but " + obstacle
          + "; use --optimizer lbfgs");
    }
    Double limit = request.timeLimit();
    long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + (long) (limit * 1e9);
    StopRules stop = new StopRules(request.maxIter(), request.gtol(), request.xtol(), request.ftol(), deadline,
        cancelled);
    int nThreads = request.threads() != null ? request.threads() : Runtime.getRuntime().availableProcessors();
    if (request.training() != null && !chosen.equals("adam")) {
      throw InputError.usage("--checkpoint, --resume and --loss-curve belong to --optimizer adam");
    }
    Fit.Settings settings = new Fit.Settings(chosen, request.starts(), request.seed(), nThreads, stop, request.epochs(),
        request.batch(), request.lr(), request.lrSchedule().equals("cosine"), request.training());
    return new FitSetup(fp, space.toTheta(p), settings, chosen);
  }

  /** The start points: the nominal values, then a seeded Latin hypercube (see {@link Starts}). */
  public double[][] startPoints() {
    ParameterSpace space = problem.space;
    double[] w = new double[nominal.length];
    for (int j = 0; j < w.length; j++) {
      // sampling widths for coordinates without finite bounds
      w[j] = space.components().get(j).scale().equals("lin") ? Math.max(1, Math.abs(nominal[j])) : 2;
    }
    return Starts.of(nominal, space.lower(), space.upper(), w, settings.starts(), settings.seed());
  }

  /** Warns about observables of the model that the data never observe (they add nothing to the fit). */
  private static void warnUnobserved(OdeSystem sys, Measurements in, Consumer<String> warnings) {
    Set<String> seen = new HashSet<>();
    for (String id : in.data().experiments()) {
      for (var o : in.data().observations(id)) seen.add(o.columnName().replaceAll("\\[.*", ""));
      for (var e : in.data().events(id)) seen.add(e.rateName());
    }
    for (OdeSystem.Observable o : sys.observables()) {
      if (!seen.contains(o.name())) {
        warnings.accept("observable '" + o.name() + "' has no data in " + in.data().fileName()
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
    throw InputError.unknownName("--fix: unknown param '" + name + "'" + Suggest.hint(base, names)
        + (names.isEmpty() ? "" : "; the model's params are " + String.join(", ", names)), name,
        Suggest.closest(base, names));
  }

  /** A start value outside its param's bounds is clamped onto them, with a warning. */
  private static void clampIntoBounds(OdeSystem sys, double[] p, boolean[] held, Consumer<String> warnings) {
    for (OdeSystem.ParamInfo info : sys.params()) {
      if (Double.isNaN(info.lo())) continue;
      List<String> comps = info.var().componentNames();
      for (int i = 0; i < comps.size(); i++) {
        int k = info.var().offset() + i;
        if (held[k]) continue;
        double v = p[k];
        if (v >= info.lo() && v <= info.hi()) continue;
        double c = Math.min(info.hi(), Math.max(info.lo(), v));
        warnings.accept("the start value of '" + comps.get(i) + "' (" + Decimals.shortest(v)
            + ") is outside its bounds [" + Decimals.shortest(info.lo()) + ", " + Decimals.shortest(info.hi())
            + "]; starting at " + Decimals.shortest(c));
        p[k] = c;
      }
    }
  }
}
