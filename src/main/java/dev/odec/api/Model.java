package dev.odec.api;

import com.google.common.base.Suppliers;
import dev.odec.infer.Priors;
import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.FitSetup;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.DeepStack;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Suggest;
import dev.odec.sens.GradientMethod;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
import dev.odec.sens.Measurements;
import dev.odec.solve.SolverOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A checked model, ready to solve, differentiate and fit: what {@link Compilation#model()} gives.
 *
 * <p><b>Compile once, call often, from any thread.</b> A model is immutable and thread-safe. Its
 * functions are compiled to JVM bytecode on first use (the right-hand side on the first solve,
 * the derivative systems on the first gradient, the Jacobian when a stiff method first needs it),
 * once, and every call after that runs the same code. Compiled code keeps scratch space, so each
 * call works on its own instance of it (a copy sharing the code; cheap): two threads solving or
 * differentiating one model at once get the same results, bit for bit, as one thread doing both
 * in turn. For many solves with the same settings on one thread, a {@link Simulator} keeps its
 * instances between solves.
 *
 * <p><b>Layout.</b> Params ({@link #params()}), consts ({@link #consts()}) and states
 * ({@link #states()}) are listed in declaration order; a trajectory's state vector holds every
 * state's components in that order, and a gradient's entries follow the params' components.
 */
public final class Model {
  private final OdeSystem sys;
  private final String backendName;
  private final List<Param> params;
  private final List<State> states;
  private final List<Const> consts;
  private final List<Observable> observables;
  private final List<Rate> rates;
  private final ParameterValues nominal;
  /** The compiled functions every call copies (never evaluated itself), compiled on first use. */
  private final Supplier<CompiledModel> compiled;
  /** The gradient systems every gradient copies (never evaluated itself), generated on first use. */
  private final Supplier<GradientModel> gradients;

  Model(OdeSystem sys, String backendName) {
    this.sys = sys;
    this.backendName = backendName;
    Backends.byName(backendName); // checked now: an unknown name fails here, not at the first solve
    if (backendName.equals("c") || backendName.equals("cuda") || backendName.equals("nd4j")) {
      throw Errors.usage("the Java API compiles models with jvm or interp; --backend " + backendName
          + " solves the ensembles of odec run" + (backendName.equals("nd4j") ? " and the batches of density and generate"
          : ""));
    }
    // transforms build in forks of the graph from now on; the model's own is shared read-only
    sys.graph().fork();
    double[] p = Errors.guard(sys, () -> Parameters.build(sys, Map.of(), 1));
    List<Param> ps = new ArrayList<>();
    for (OdeSystem.ParamInfo info : sys.params()) {
      OdeSystem.Var v = info.var();
      Prior prior = info.prior() == null ? null : new Prior(info.prior(), info.priorArgs());
      ps.add(new Param(v.name(), shape(v), v.componentNames(), info.lo(), info.hi(), info.scale(), slice(p, v), prior));
    }
    this.params = List.copyOf(ps);
    List<Const> cs = new ArrayList<>();
    for (OdeSystem.Var v : sys.consts()) {
      cs.add(new Const(v.name(), shape(v), v.componentNames(), slice(p, v), sys.structuralConsts().contains(v.name())));
    }
    this.consts = List.copyOf(cs);
    List<State> ss = new ArrayList<>();
    for (OdeSystem.Var v : sys.states()) {
      ss.add(new State(v.name(), shape(v), v.componentNames(), v.offset(), sys.species().contains(v.name())));
    }
    this.states = List.copyOf(ss);
    List<String> columns = GradientProblem.observationColumns(sys);
    List<Observable> os = new ArrayList<>();
    for (OdeSystem.Observable o : sys.observables()) {
      List<String> mine = columns.stream().filter(c -> c.equals(o.name()) || c.startsWith(o.name() + "[")).toList();
      os.add(new Observable(o.name(), o.dist(), mine));
    }
    this.observables = List.copyOf(os);
    this.rates = sys.rates().stream().map(r -> new Rate(r.name())).toList();
    this.nominal = new ParameterValues(this, Map.of(), 1, false);
    this.compiled = Suppliers.memoize(() -> DeepStack.call(() -> new CompiledModel(sys, Backends.byName(backendName))));
    this.gradients = Suppliers.memoize(() -> DeepStack.call(() -> new GradientModel(sys, Backends.byName(backendName))));
  }

  private static List<Integer> shape(OdeSystem.Var v) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < v.shape().rank(); i++) out.add(v.shape().dim(i));
    return out;
  }

  private static double[] slice(double[] p, OdeSystem.Var v) {
    double[] out = new double[v.shape().size()];
    System.arraycopy(p, v.offset(), out, 0, out.length);
    return out;
  }

  /** The model's name ({@code model NAME}, else the file name without {@code .ode}). */
  public String name() {
    return sys.name();
  }

  /** The params, in declaration order. */
  public List<Param> params() {
    return params;
  }

  /** The states, in declaration order (their components make up the state vector). */
  public List<State> states() {
    return states;
  }

  /** The consts, in declaration order. */
  public List<Const> consts() {
    return consts;
  }

  /** The {@code observe} statements. */
  public List<Observable> observables() {
    return observables;
  }

  /** The {@code rate} statements. */
  public List<Rate> rates() {
    return rates;
  }

  /**
   * The states with a {@code flow STATE ~ dist(...)} statement: checked, but their density is not
   * tracked by solves in this version.
   */
  public List<String> flowStates() {
    return sys.flows().stream().map(OdeSystem.Flow::state).toList();
  }

  /** The names of the derived quantities: the lets, then the observables' means. */
  public List<String> derivedNames() {
    return sys.derivedNames();
  }

  /** The backend that compiles it: {@code jvm} (bytecode, the default) or {@code interp} (the reference interpreter). */
  public String backend() {
    return backendName;
  }

  /**
   * The same model compiled by another backend ({@code jvm}, {@code interp} or {@code auto}; the
   * command line's {@code c}, {@code cuda} and {@code nd4j} solve in batches and are not available here).
   *
   * @throws InvalidInputException for an unknown backend
   */
  public Model withBackend(String name) {
    return Errors.guard(sys, () -> new Model(sys, name));
  }

  // ---- parameter values --------------------------------------------------------------------------

  /** The nominal values: each param's and const's value from the model (draws from priors with seed 1). */
  public ParameterValues parameters() {
    return nominal;
  }

  /**
   * The nominal values with overrides (see {@link ParameterValues}), checked.
   *
   * @throws UnknownNameException for a name the model has no param or const of
   * @throws InvalidInputException for a value outside a param's bounds, or not positive on a log scale
   */
  public ParameterValues parameters(Map<String, Double> overrides) {
    return new ParameterValues(this, overrides, 1, false);
  }

  /**
   * Values with overrides and the seed of the prior draws that start params without a value;
   * with {@code allowOutsideBounds}, an override outside a param's bounds is kept and listed in
   * {@link ParameterValues#warnings()} (as {@code odec run --set} does) instead of refused.
   */
  public ParameterValues parameters(Map<String, Double> overrides, long seed, boolean allowOutsideBounds) {
    return new ParameterValues(this, overrides, seed, allowOutsideBounds);
  }

  /**
   * The initial state y0 at these values (its components in {@link Trajectory#stateNames()} order).
   *
   * @throws InvalidInputException when an initial value is not finite
   */
  public double[] initialState(ParameterValues values) {
    check(values);
    return Errors.guard(sys, () -> compiled().initialState(values.vector()));
  }

  // ---- solving -----------------------------------------------------------------------------------

  /**
   * A simulator for repeated solves on one thread with these settings.
   *
   * @throws UnknownNameException for a per-state tolerance naming no state
   */
  public Simulator simulator(SolverSettings settings) {
    return Errors.guard(sys, () -> new Simulator(this, settings));
  }

  /**
   * Solves from {@code t0} to the last output time through every event and switch (see
   * {@link Simulator#solve}); safe to call from several threads at once.
   */
  public Trajectory solve(ParameterValues values, double t0, double[] times, SolverSettings settings) {
    return simulator(settings).solve(values, t0, times);
  }

  /** The steady state from the initial state (see {@link Simulator#steadyState}). */
  public SteadyStateResult steadyState(ParameterValues values, double t0, SolverSettings settings) {
    return simulator(settings).steadyState(values, t0);
  }

  // ---- data, objective, gradient, fit -----------------------------------------------------------

  /** {@link #loadData(Path, Path, double, double)} without conditions, over [0, the last data time]. */
  public Data loadData(Path data) {
    return loadData(data, null, 0, Double.NaN);
  }

  /** {@link #loadData(Path, Path, double, double)} over [0, the last data time]. */
  public Data loadData(Path data, Path conditions) {
    return loadData(data, conditions, 0, Double.NaN);
  }

  /**
   * Reads a data file (and a conditions file: one row of overrides per experiment, may be null)
   * for this model and checks them against it, as {@code odec grad --data --conditions} does:
   * columns named after observables and rates, experiments covered by the conditions, times
   * within the window [t0, t1] ({@code t1} NaN: the data's last time), values a noise model can
   * produce.
   *
   * @throws InvalidInputException naming file, line and column of what does not fit
   */
  public Data loadData(Path data, Path conditions, double t0, double t1) {
    return Errors.guard(sys, () -> new Data(this, Measurements.load(sys, data, conditions, t0,
        Double.isNaN(t1) ? null : t1)));
  }

  /**
   * The objective alone: the negative log-likelihood of the data (plus the negative log-priors
   * with {@link GradientSettings#map}), from one forward solve per experiment.
   */
  public double objective(Data data, ParameterValues values, GradientSettings settings) {
    check(values, data);
    return Errors.guard(sys, () -> {
      double[] p = values.vector();
      GradientProblem problem = problem(data, p, settings);
      double value = problem.objective();
      if (settings.map()) value += Priors.nll(sys, p, null);
      return value;
    });
  }

  /**
   * The objective and its gradient with respect to every param component (and, with
   * {@link GradientSettings#wrtTimes}, to t0, t1 and every measurement time), by the settings'
   * method, as {@code odec grad} computes them.
   *
   * @throws SolverException when a solve fails
   */
  public Gradient gradient(Data data, ParameterValues values, GradientSettings settings) {
    check(values, data);
    return Errors.guard(sys, () -> {
      double[] p = values.vector();
      GradientProblem problem = problem(data, p, settings);
      GradientMethod gm = GradientMethods.byName(settings.method(), paramComponents(), settings.wrtTimes());
      GradientResult r = gm.compute(problem);
      if (settings.map()) r.objective += Priors.nll(sys, p, r.gradient);
      return new Gradient(this, problem, r, settings.wrtTimes());
    });
  }

  /**
   * Estimates the params from data, as {@code odec fit}: from {@code start} (the first start; the
   * others sampled in the params' scales within their bounds), on the settings' threads, with
   * standard errors. Start values outside the bounds are clamped onto them; {@code warnings}
   * (may be null) hears about that and about observables without data.
   *
   * @throws SolverException ({@link SolverException.Reason#EVERY_START_FAILED}) when no start
   *     could be completed
   */
  public FitResult fit(Data data, ParameterValues start, FitSettings settings, Consumer<String> warnings) {
    check(start, data);
    Consumer<String> warn = warnings == null ? w -> { } : warnings;
    return Errors.guard(sys, () -> {
      SolverOptions options = settings.solver().options(sys, false);
      FitSetup setup = FitSetup.prepare(gradientModel(), data.measurements(), settings.solver().method(), options,
          start.vector(), settings.request(), () -> Thread.currentThread().isInterrupted(), warn);
      Fit.Result result = Fit.run(setup.problem(), setup.startPoints(), setup.settings(), null);
      if (result.best() < 0) {
        throw new SolverException(SolverException.Reason.EVERY_START_FAILED, Double.NaN, null,
            "every start failed: " + result.failureSummary());
      }
      return new FitResult(this, start, setup, result);
    });
  }

  // ---- internals ---------------------------------------------------------------------------------

  OdeSystem system() {
    return sys;
  }

  /** Refuses values made for another model. */
  void check(ParameterValues values) {
    if (values.model() != this && values.model().sys != sys) {
      throw Errors.usage("these parameter values are for model '" + values.model().name() + "', not for this one");
    }
  }

  /** Refuses values or data read for another model. */
  private void check(ParameterValues values, Data data) {
    check(values);
    data.checkModel(this);
  }

  /** An instance of the compiled functions for one caller (its own scratch space). */
  CompiledModel compiled() {
    return compiled.get().copy();
  }

  /** An instance of the gradient systems for one caller. */
  GradientModel gradientModel() {
    return gradients.get().copy();
  }

  private GradientProblem problem(Data data, double[] p, GradientSettings settings) {
    Measurements m = data.measurements();
    SolverOptions options = settings.solver().options(sys, false);
    return new GradientProblem(gradientModel(), m.data(), m.conditions(), p, m.t0(), m.t1(), settings.solver().method(),
        options);
  }

  int paramComponents() {
    int k = 0;
    for (OdeSystem.ParamInfo info : sys.params()) k += info.var().shape().size();
    return k;
  }

  /** The index of a state component in the state vector. */
  int stateIndex(String component) {
    List<String> names = sys.stateComponentNames();
    int j = names.indexOf(component.replace(" ", ""));
    if (j >= 0) return j;
    String closest = Suggest.closest(component, names);
    throw new UnknownNameException("unknown state '" + component + "'" + Suggest.hint(component, names)
        + "; the state components are " + String.join(", ", names), component, closest);
  }

  /** The derived quantities at each (t, y), with one instance of the compiled functions. */
  double[][] derived(ParameterValues values, double[] ts, double[][] ys) {
    CompiledModel cm = compiled();
    double[] p = values.vector();
    double[][] out = new double[ts.length][cm.derivedSize()];
    for (int i = 0; i < ts.length; i++) cm.derived(ts[i], ys[i], p, out[i]);
    return out;
  }

  /** Every param component's name, in gradient order. */
  List<String> paramComponentNames() {
    List<String> out = new ArrayList<>();
    for (Param p : params) out.addAll(p.components());
    return out;
  }

  @Override
  public String toString() {
    return "Model[" + name() + ": " + states.size() + " states, " + params.size() + " params, " + consts.size()
        + " consts, " + observables.size() + " observables, " + rates.size() + " rates]";
  }
}
