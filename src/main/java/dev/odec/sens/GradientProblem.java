package dev.odec.sens;

import com.google.common.primitives.Ints;
import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.infer.Distributions;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.BoundFunction;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.solve.Method;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objective L(p) = Σ_experiments [ Σ_observations nll(value | A(t, y(t), p)) + Σ_rates
 * (∫_{t0}^{t1} λ_r dt − Σ_events n log λ_r(t_event)) ] and everything the gradient methods
 * share: the experiments' parameter vectors and measurement times, the observation terms and
 * their derivatives at one time, and the gradients with respect to times.
 */
public final class GradientProblem {
  /** One experiment: its parameter vector and its data grouped by distinct time. */
  public static final class Experiment {
    public final String id;
    public final double[] p;
    /** Entries of p fixed by the conditions file for this experiment (they get no gradient). */
    public final boolean[] overridden;
    /** Distinct measurement times, ascending. */
    public final double[] times;
    final List<List<DataSet.Observation>> observations = new ArrayList<>();
    final List<List<DataSet.Event>> events = new ArrayList<>();
    /** The conditions row this experiment is pre-equilibrated under, or null. */
    public final String preequilibration;
    /** That row's parameter vector, and the entries its overrides fix (null without one). */
    final double[] pPre;
    final boolean[] overriddenPre;

    Experiment(String id, double[] p, boolean[] overridden, double[] times, String preequilibration, double[] pPre,
        boolean[] overriddenPre) {
      this.id = id;
      this.p = p;
      this.overridden = overridden;
      this.times = times;
      this.preequilibration = preequilibration;
      this.pPre = pPre;
      this.overriddenPre = overriddenPre;
    }
  }

  /** Steady states of the pre-equilibration rows, computed once for this parameter vector. */
  private final Preequilibration preequilibration;

  public final GradientModel model;
  public final List<Experiment> experiments = new ArrayList<>();
  public final double t0;
  public final double t1;
  public final Method method;
  public final SolverOptions options;
  private final OdeSystem sys;
  /** Data column index -> (observable, component). */
  private final int[] columnObservable;
  private final int[] columnComponent;
  private final double[] args;
  private final DataSet data;
  /** The cotangents of every observation argument at one time; vjpIn holds [x, one term's slice]. */
  private final double[] cotangent;
  private final double[] vjpIn;
  private final double[] vjpOut;
  /** Which terms (observables, then rates) are measured at the current time. */
  private final boolean[] touched;
  /** Scratch of the per-observation and per-time derivatives (no allocation per measurement). */
  private final double[] g3 = new double[3];
  private final double[] fScratch;

  public GradientProblem(GradientModel model, DataSet data, Conditions conditions, double[] p,
      double t0, double t1, Method method, SolverOptions options) {
    this.model = model;
    this.sys = model.system();
    this.t0 = t0;
    this.t1 = t1;
    this.method = method;
    this.options = options;
    List<Integer> obsOf = new ArrayList<>();
    List<Integer> compOf = new ArrayList<>();
    for (int o = 0; o < sys.observables().size(); o++) {
      int size = 1;
      for (int s : model.argSize[o]) size = Math.max(size, s);
      for (int k = 0; k < size; k++) {
        obsOf.add(o);
        compOf.add(k);
      }
    }
    columnObservable = Ints.toArray(obsOf);
    columnComponent = Ints.toArray(compOf);
    this.data = data;
    args = new double[Math.max(1, model.argsLength)];
    cotangent = new double[Math.max(1, model.argsLength)];
    int longest = 0;
    for (int len : model.termLength) longest = Math.max(longest, len);
    vjpIn = new double[model.n + longest];
    vjpOut = new double[model.n + model.np + 1];
    touched = new boolean[model.termLength.length];
    fScratch = new double[model.nx];
    this.preequilibration = new Preequilibration(this);
    for (String id : data.experiments()) {
      Map<String, Double> ov = conditions == null ? Map.of() : conditions.overrides(id);
      boolean[] overridden = new boolean[p.length];
      double[] pe = ov.isEmpty() ? p.clone() : Parameters.forExperiment(sys, p, ov, overridden);
      TreeMap<Double, List<DataSet.Observation>> obs = new TreeMap<>();
      TreeMap<Double, List<DataSet.Event>> ev = new TreeMap<>();
      for (DataSet.Observation o : data.observations(id)) obs.computeIfAbsent(o.time(), k -> new ArrayList<>()).add(o);
      for (DataSet.Event e : data.events(id)) ev.computeIfAbsent(e.time(), k -> new ArrayList<>()).add(e);
      double[] times = data.times(id);
      String pre = conditions == null ? null : conditions.preequilibration(id);
      boolean[] overriddenPre = pre == null ? null : new boolean[p.length];
      double[] pPre = pre == null ? null
          : Parameters.forExperiment(sys, p, conditions.overrides(pre), overriddenPre);
      Experiment e = new Experiment(id, pe, overridden, times, pre, pPre, overriddenPre);
      for (double t : times) {
        e.observations.add(obs.getOrDefault(t, List.of()));
        e.events.add(ev.getOrDefault(t, List.of()));
      }
      experiments.add(e);
    }
  }

  /** Column names of the data, in the order DataSet was given them. */
  public static List<String> observationColumns(OdeSystem sys) {
    List<String> cols = new ArrayList<>();
    for (OdeSystem.Observable o : sys.observables()) {
      dev.odec.ir.Shape shape = dev.odec.ir.Shape.SCALAR;
      for (var a : o.args()) if (!a.shape.isScalar()) shape = a.shape;
      cols.addAll(new OdeSystem.Var(o.name(), shape, 0, null).componentNames());
    }
    return cols;
  }

  public static List<String> rateColumns(OdeSystem sys) {
    return sys.rates().stream().map(OdeSystem.Rate::name).toList();
  }

  /** The objective alone, from one forward solve per experiment (what finite differences use). */
  public double objective() {
    double total = 0;
    for (Experiment e : experiments) {
      double[] pw = e.p.clone();
      double[] x0 = initialState(e, pw);
      double[] outT = outputTimes(e);
      dev.odec.solve.Solution sol = solver(model.nx, model.forwardJacobian(pw)).solve(forward(pw), pw, t0, x0, outT,
          options, null, null, null);
      for (int k = 0; k < e.times.length; k++) {
        total += termsAt(e, k, stateAt(e.times[k], t0, x0, outT, sol.states), null, null, null);
      }
      total += integralTerm(stateAt(t1, t0, x0, outT, sol.states));
    }
    return total;
  }

  /** An integrator of the problem's method (null: auto) for a system of size n. */
  dev.odec.solve.Integrator integrator(int n, dev.odec.solve.OdeJacobian jacobian) {
    return dev.odec.solve.Integrator.of(method, n, jacobian);
  }

  /**
   * A solver of the problem's method through the model's events and switches, for a system of
   * size n whose leading part is the forward state (the modes it sets live in the p that the
   * right-hand side and the Jacobian are bound to).
   */
  dev.odec.solve.HybridSolver solver(int n, dev.odec.solve.OdeJacobian jacobian) {
    return new dev.odec.solve.HybridSolver(integrator(n, jacobian), model.hybrid, n);
  }

  /** The method's name for messages. */
  String methodName() {
    return method == null ? "auto" : method.text;
  }

  /** The same problem at another parameter vector (for finite differences). */
  public GradientProblem at(double[] p, DataSet data, Conditions conditions) {
    return new GradientProblem(model, data, conditions, p, t0, t1, method, options);
  }

  /**
   * The solve's output times: t0, the experiment's measurement times and t1, ascending, distinct
   * (t0 too, because events at t0 make the state there differ from x0).
   */
  double[] outputTimes(Experiment e) {
    List<Double> ts = new ArrayList<>();
    ts.add(t0);
    for (double t : e.times) if (ts.get(ts.size() - 1) != t) ts.add(t);
    if (ts.get(ts.size() - 1) < t1) ts.add(t1);
    return ts.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The state at t0 of experiment e (with its parameter vector p): x0(p), or, after a
   * pre-equilibration, the steady state reached under the named row's overrides, except the
   * states whose initial-value expression reads a param or const that the experiment's own row
   * overrides: those start from their expression (as PEtab's condition tables mean).
   */
  double[] initialState(Experiment e, double[] p) {
    double[] x0 = initialState(p);
    if (e.preequilibration == null) return x0;
    Preequilibration.Steady ss = preequilibration.of(e);
    boolean[] keep = preequilibration.reinitialised(e);
    for (int i = 0; i < model.n; i++) if (!keep[i]) x0[i] = ss.x()[i];
    return x0;
  }

  /**
   * ∂x(t0)/∂p_k of experiment e for the first {@code params} p entries, as rows [k][i] (nx
   * long): through the steady state for pre-equilibrated states, else ∂x0/∂p_k.
   */
  double[][] initialSensitivity(Experiment e, double[] p, int params) {
    double[][] s = new double[params][model.nx];
    double[][] rows = initialJacobian(p); // [i][k]
    Preequilibration.Steady ss = e.preequilibration == null ? null : preequilibration.of(e);
    boolean[] reinit = e.preequilibration == null ? null : preequilibration.reinitialised(e);
    for (int i = 0; i < model.n; i++) {
      for (int k = 0; k < params; k++) {
        s[k][i] = ss == null || reinit[i] ? rows[i][k] : ss.sensitivity()[i][k];
      }
    }
    return s;
  }

  /** ∂x0/∂p at p as rows [i][k] (state component i, p entry k), one vector-Jacobian product a row. */
  double[][] initialJacobian(double[] p) {
    double[][] rows = new double[model.nx][model.np];
    if (model.initialVjp == null) return rows;
    double[] in = new double[model.nx];
    for (int i = 0; i < model.n; i++) {
      java.util.Arrays.fill(in, 0.0);
      in[i] = 1.0;
      model.initialVjp.eval(t0, in, p, rows[i]);
    }
    return rows;
  }

  /** x0(p). */
  double[] initialState(double[] p) {
    double[] x0 = new double[model.nx];
    model.initialState.eval(t0, new double[model.nx], p, x0);
    for (int i = 0; i < model.n; i++) {
      if (!Double.isFinite(x0[i])) {
        throw InputError.input("the initial value of state '" + sys.stateComponentNames().get(i) + "' is " + x0[i]
            + " with the current parameter values");
      }
    }
    return x0;
  }

  /** Sets the modes in p to their values at (t0, x0) (what a solve starts with). */
  void startModes(double[] p, double[] x0) {
    if (model.hybrid == null) return;
    double[] modes = new double[model.hybrid.modeCount()];
    model.hybrid.rawModes(t0, x0, p, modes);
    System.arraycopy(modes, 0, p, model.hybrid.modeOffset(), modes.length);
  }

  OdeFunction forward(double[] p) {
    return new BoundFunction(model.forward, model.nx, p);
  }

  /**
   * The observation and event terms at time index k of experiment e: returns their negative
   * log-likelihood and, when {@code dx} is not null, adds ∂/∂x into dx (length ≥ n), ∂/∂p into
   * dp and returns ∂/∂t (the explicit time dependence) through {@code dt[0]}.
   */
  double termsAt(Experiment e, int k, double[] x, double[] dx, double[] dp, double[] dt) {
    List<DataSet.Observation> obs = e.observations.get(k);
    List<DataSet.Event> ev = e.events.get(k);
    if (obs.isEmpty() && ev.isEmpty()) return 0.0;
    double t = e.times[k];
    model.observationArgs.eval(t, x, e.p, args);
    boolean grad = dx != null;
    if (grad) {
      java.util.Arrays.fill(cotangent, 0.0);
      java.util.Arrays.fill(touched, false);
    }
    double nll = 0;
    for (DataSet.Observation o : obs) {
      OdeSystem.Observable spec = observable(o);
      int i0 = argumentIndex(o, 0);
      double a = args[i0];
      int i1 = argumentIndex(o, 1);
      double b = i1 >= 0 ? args[i1] : 0;
      if (o.hasNoise() && i1 >= 0) {
        b = o.noise(); // the data gives this row's noise: the model's argument does not enter
        i1 = -1;
      }
      String bad = Distributions.invalid(spec.dist(), o.value(), a, b);
      if (bad != null) {
        throw InputError.at(data.fileName(), o.line(), data.columnOf(o), "observable '" + o.columnName() + "' at time "
            + t + ": " + bad + " with the current parameter values");
      }
      double term = Distributions.nll(spec.dist(), o.value(), a, b);
      if (grad) Distributions.nllGrad(spec.dist(), o.value(), a, b, g3);
      if (!Double.isFinite(term) || grad && !(Double.isFinite(g3[0]) && Double.isFinite(g3[1]))) {
        // an overflow (a value of 1e308, a residual squared past the largest double) would make
        // the objective infinite and every gradient NaN: name the row instead
        throw InputError.at(data.fileName(), o.line(), data.columnOf(o), "observable '" + o.columnName() + "' at time "
            + Distributions.fmt(t) + ": the negative log-likelihood of the value " + Distributions.fmt(o.value()) + " is "
            + (Double.isFinite(term) ? "finite, but its derivative is not," : Distributions.fmt(term)) + " with "
            + spec.dist() + "(" + Distributions.fmt(a) + (spec.args().size() > 1 ? ", " + Distributions.fmt(b) : "") + ") (it "
            + "overflows a double); check this value and its units");
      }
      nll += term;
      if (grad) {
        cotangent[i0] += g3[0];
        if (i1 >= 0) cotangent[i1] += g3[1];
        touched[observableIndex(o)] = true;
      }
    }
    for (DataSet.Event evt : ev) {
      int ri = model.rateOffset[evt.rate()];
      double lambda = args[ri];
      if (!(lambda > 0)) {
        throw InputError.at(data.fileName(), evt.line(), 1, "the intensity of rate '" + evt.rateName() + "' is "
            + lambda + " at time " + t + "; an intensity must be > 0 where events happen");
      }
      nll -= evt.count() * Math.log(lambda);
      if (grad) {
        cotangent[ri] += -evt.count() / lambda;
        touched[sys.observables().size() + evt.rate()] = true;
      }
    }
    if (grad) {
      // only the terms measured now: another term's partials may be infinite here (0·∞ = NaN)
      System.arraycopy(x, 0, vjpIn, 0, model.n);
      dt[0] = 0;
      for (int term = 0; term < touched.length; term++) {
        if (!touched[term]) continue;
        System.arraycopy(cotangent, model.termOffset[term], vjpIn, model.n, model.termLength[term]);
        model.termVjp(term).eval(t, vjpIn, e.p, vjpOut);
        for (int i = 0; i < model.n; i++) dx[i] += vjpOut[i];
        for (int i = 0; i < model.np; i++) dp[i] += vjpOut[model.n + i];
        dt[0] += vjpOut[model.n + model.np];
      }
    }
    return nll;
  }

  /** The observable whose data column holds o. */
  OdeSystem.Observable observable(DataSet.Observation o) {
    return sys.observables().get(columnObservable[o.column()]);
  }

  /** The index of that observable (its term in {@link GradientModel#termVjp}). */
  int observableIndex(DataSet.Observation o) {
    return columnObservable[o.column()];
  }

  /**
   * Where argument j of o's distribution lies in the outputs of {@code model.observationArgs}
   * (a scalar argument broadcasts over a vector observable's components); −1 when the
   * distribution has no argument j.
   */
  int argumentIndex(DataSet.Observation o, int j) {
    int ob = columnObservable[o.column()];
    if (j >= model.argOffset[ob].length) return -1;
    return model.argOffset[ob][j] + (model.argSize[ob][j] == 1 ? 0 : columnComponent[o.column()]);
  }

  /**
   * dL/dt_k for a measurement time: moving t_k moves where y is observed, so the term's
   * derivative is (∂ℓ/∂y)·f(t_k, y(t_k)) plus its explicit dependence on t.
   */
  double timeGradient(double t, double[] x, double[] p, double[] dx, double dtExplicit) {
    model.forward.eval(t, x, p, fScratch);
    double s = dtExplicit;
    for (int i = 0; i < model.n; i++) s += dx[i] * fScratch[i];
    return s;
  }

  /** The forward state at an output time (after anything that happened there), or x0 at t0 when t0 is none. */
  static double[] stateAt(double t, double t0, double[] x0, double[] outTimes, double[][] states) {
    int i = java.util.Arrays.binarySearch(outTimes, t);
    if (i >= 0) return states[i];
    if (t == t0) return x0;
    throw new IllegalStateException("no output at t = " + t);
  }

  /** F(t, x) into out. */
  void dynamics(double t, double[] x, double[] p, double[] out) {
    model.forward.eval(t, x, p, out);
  }

  /** The rate-integral part of the objective: q(t1), the last component of x(t1). */
  double integralTerm(double[] x1) {
    return model.hasRates ? x1[model.nx - 1] : 0.0;
  }

  /** Adds the initial-state contribution (∂x(t0)/∂p)ᵀ λ0 of experiment e to grad. */
  void addInitialVjp(Experiment e, double[] lambda0, double[] p, double[] grad) {
    if (e.preequilibration == null) {
      addInitialVjp(lambda0, p, grad);
      return;
    }
    double[][] s = initialSensitivity(e, p, model.nParams);
    for (int k = 0; k < model.nParams; k++) {
      double v = 0;
      for (int i = 0; i < model.n; i++) v += lambda0[i] * s[k][i];
      grad[k] += v;
    }
  }

  /** Adds the initial-state contribution (∂x0/∂p)ᵀ λ0 to grad. */
  void addInitialVjp(double[] lambda0, double[] p, double[] grad) {
    if (model.initialVjp == null) return;
    double[] out = new double[model.np];
    double[] in = new double[model.nx];
    System.arraycopy(lambda0, 0, in, 0, model.nx);
    model.initialVjp.eval(t0, in, p, out);
    for (int i = 0; i < model.np; i++) grad[i] += out[i];
  }

  /** dL/dt1 = Σ_r λ_r(t1): the window's end moves the rate integral only. */
  double gradT1(double[] x1, double[] p) {
    if (!model.hasRates) return 0.0;
    double[] f = new double[model.nx];
    model.forward.eval(t1, x1, p, f);
    return f[model.nx - 1];
  }

  /** Folds one experiment's gradient into the total: entries overridden for it get nothing. */
  static void accumulate(Experiment e, double[] grad, double[] into) {
    for (int i = 0; i < into.length; i++) if (!e.overridden[i]) into[i] += grad[i];
  }
}
