package dev.odec.api;

import dev.odec.infer.optim.FitSetup;
import java.util.List;

/**
 * How to fit, with {@code odec fit}'s options and defaults: 10 starts (the given values, then a
 * seeded Latin hypercube in the params' scales within their bounds), seed 1, every core, the
 * optimizer chosen by the likelihood ({@code ls}, trust-region least squares, when every
 * observable is normal or lognormal; else {@code lbfgs}; or {@code adam}), gradients by
 * {@code auto}, at most 1000 iterations per start, tolerances 1e-8. Immutable; each setter
 * returns a new instance and checks its value with the command line's words.
 */
public final class FitSettings {
  private static final FitSettings DEFAULTS = new FitSettings(FitSetup.Request.defaults(), SolverSettings.defaults());

  private final FitSetup.Request r;
  private final SolverSettings solver;

  private FitSettings(FitSetup.Request request, SolverSettings solver) {
    this.r = request;
    this.solver = solver;
  }

  /** The defaults of {@code odec fit} (see the class comment). */
  public static FitSettings defaults() {
    return DEFAULTS;
  }

  private FitSettings with(String optimizer, String method, Integer threads, int maxIter, Double timeLimit, double gtol,
      double xtol, double ftol, int epochs, int batch, double lr, String lrSchedule, List<String> fix, int starts,
      long seed, boolean map) {
    FitSetup.Request request = Errors.guard(null, () -> new FitSetup.Request(optimizer, method, threads, maxIter,
        timeLimit, gtol, xtol, ftol, epochs, batch, lr, lrSchedule, fix, starts, seed, map));
    return new FitSettings(request, solver);
  }

  /** The number of starts (at least 1). */
  public FitSettings starts(int n) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), n, r.seed(), r.map());
  }

  /** The seed of the start points (and of draws from priors for params without a value). */
  public FitSettings seed(long seed) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), seed, r.map());
  }

  /** Threads running starts (at least 1; results do not depend on it). */
  public FitSettings threads(int n) {
    return with(r.optimizer(), r.gradientMethod(), n, r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /** {@code ls}, {@code lbfgs} or {@code adam}; null chooses by the likelihood. */
  public FitSettings optimizer(String name) {
    return with(name, r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /** The gradient method of {@code lbfgs} and {@code adam} (see {@link GradientSettings}). */
  public FitSettings method(String name) {
    return with(r.optimizer(), name, r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /** Iterations per start (at least 1). */
  public FitSettings maxIter(int n) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), n, r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /** Stop every start after this many seconds; starts not begun by then are skipped. */
  public FitSettings timeLimit(double seconds) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), seconds, r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /** The convergence tolerances: scaled gradient, relative step, relative decrease (each at least 0). */
  public FitSettings tolerances(double gtol, double xtol, double ftol) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), gtol, xtol, ftol,
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), r.map());
  }

  /**
   * Adam's settings: passes over the experiments, experiments per mini-batch (0: all), learning
   * rate, and whether it anneals (cosine, to lr/100) or stays constant.
   */
  public FitSettings adam(int epochs, int batch, double lr, boolean cosine) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        epochs, batch, lr, cosine ? "cosine" : "constant", r.fix(), r.starts(), r.seed(), r.map());
  }

  /** Params (or components, {@code W[2,1]}) held at their given values; names are checked by {@link Model#fit}. */
  public FitSettings fix(List<String> names) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), names, r.starts(), r.seed(), r.map());
  }

  /** Whether the objective adds the negative log-priors (maximum a posteriori). */
  public FitSettings map(boolean withPriors) {
    return with(r.optimizer(), r.gradientMethod(), r.threads(), r.maxIter(), r.timeLimit(), r.gtol(), r.xtol(), r.ftol(),
        r.epochs(), r.batch(), r.lr(), r.lrSchedule(), r.fix(), r.starts(), r.seed(), withPriors);
  }

  /** The settings of the solves (scalar tolerances). */
  public FitSettings solver(SolverSettings settings) {
    return new FitSettings(r, settings);
  }

  /** The number of starts. */
  public int starts() {
    return r.starts();
  }

  /** The seed. */
  public long seed() {
    return r.seed();
  }

  /** The optimizer's name, or null (chosen by the likelihood). */
  public String optimizer() {
    return r.optimizer();
  }

  /** The gradient method. */
  public String method() {
    return r.gradientMethod();
  }

  /** The params held fixed. */
  public List<String> fix() {
    return r.fix();
  }

  /** Whether priors are included. */
  public boolean map() {
    return r.map();
  }

  /** The solver settings. */
  public SolverSettings solver() {
    return solver;
  }

  FitSetup.Request request() {
    return r;
  }
}
