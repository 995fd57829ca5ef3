package dev.odec.infer.optim;

import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.infer.Priors;
import dev.odec.ir.Node;
import dev.odec.ir.Op;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.sens.ForwardSensitivity;
import dev.odec.sens.GradientMethod;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A fit's objective over all experiments of the data, in the coordinates of a
 * {@link ParameterSpace}: the negative log-likelihood of {@link GradientProblem} (plus the
 * negative log-priors of {@link Priors} with {@code map}), with its gradient from a
 * {@link GradientMethod}, and, for least squares, the same objective as residuals.
 *
 * <p>Compiled functions hold scratch memory, so every thread works on its own
 * {@link GradientModel#copy copy} of the model: the copies share the generated code, which
 * {@link #warmUp} generates up front in a fixed order, so results do not depend on which thread
 * evaluates, nor on how many there are.
 *
 * <p><b>Residuals.</b> For an observation y ~ normal(a, b), r = (y − a)/b; for
 * y ~ lognormal(a, b), r = (log y − a)/b. When b depends on the params (an estimated noise
 * parameter), its log b term is written as one more residual per data point,
 * s = √(2 log b + C) with C = {@value #SIGMA_OFFSET}, so that ½s² = log b + C/2 and the objective
 * stays exactly ½‖[r; s]‖² plus a constant (the device Data2Dynamics and AMICI use for error-model
 * parameters in least-squares fits); it needs b &gt; e^{−C/2} ≈ 1.4e-11. A normal prior
 * (with {@code map}) adds r = (p − μ)/σ for each estimated component.
 */
public final class FitProblem {
  /** The offset C of the noise residuals √(2 log b + C). */
  public static final double SIGMA_OFFSET = 50;
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private final GradientModel model;
  private boolean warm;
  public final OdeSystem system;
  public final DataSet data;
  public final Conditions conditions;
  public final double t0;
  public final double t1;
  public final Method method;
  public final SolverOptions options;
  public final String gradientMethod;
  public final boolean map;
  public final ParameterSpace space;
  private final ThreadLocal<Worker> workers = new ThreadLocal<>();
  /** Per observable: whether its noise argument depends on the params or states. */
  private final boolean[] noiseVaries;
  /** Data column index (as DataSet numbers them) -> observable index. */
  private final int[] columnObservable;

  /** @param model the model's gradient systems; each thread evaluates its own copy */
  public FitProblem(GradientModel model, DataSet data, Conditions conditions, double t0, double t1, Method method,
      SolverOptions options, String gradientMethod, boolean map, ParameterSpace space) {
    this.system = model.system();
    this.model = model;
    this.data = data;
    this.conditions = conditions;
    this.t0 = t0;
    this.t1 = t1;
    this.method = method;
    this.options = options;
    this.gradientMethod = gradientMethod;
    this.map = map;
    this.space = space;
    int nParams = 0;
    for (OdeSystem.ParamInfo info : system.params()) nParams += info.var().shape().size();
    List<Integer> cols = new ArrayList<>();
    for (int o = 0; o < system.observables().size(); o++) {
      int size = 1;
      for (Node a : system.observables().get(o).args()) size = Math.max(size, a.size());
      for (int k = 0; k < size; k++) cols.add(o);
    }
    columnObservable = cols.stream().mapToInt(Integer::intValue).toArray();
    noiseVaries = new boolean[system.observables().size()];
    for (int o = 0; o < noiseVaries.length; o++) {
      List<Node> args = system.observables().get(o).args();
      noiseVaries[o] = args.size() > 1 && varies(args.get(1), nParams, new HashSet<>());
    }
  }

  /** Whether a node depends on a state or a param component (consts and t are fixed data). */
  private static boolean varies(Node n, int nParams, Set<Integer> seen) {
    if (!seen.add(n.id)) return false;
    if (n.op == Op.INPUT) return n.intAt(0) == 0 || n.intAt(1) < nParams;
    for (Node a : n.args()) if (varies(a, nParams, seen)) return true;
    return false;
  }

  /** Why least squares cannot represent this objective, or null when it can. */
  public String leastSquaresObstacle() {
    for (OdeSystem.Observable o : system.observables()) {
      if (!o.dist().equals("normal") && !o.dist().equals("lognormal")) {
        return "observable '" + o.name() + "' has a " + o.dist() + " noise model";
      }
    }
    if (!system.rates().isEmpty()) return "the model has rate '" + system.rates().get(0).name() + "'";
    if (map) {
      for (ParameterSpace.Component c : space.components()) {
        OdeSystem.ParamInfo info = infoOf(c.index());
        if (info.prior() != null && !info.prior().equals("normal")) {
          return "param '" + info.var().name() + "' has a " + info.prior() + " prior (least squares takes normal priors)";
        }
      }
    }
    return null;
  }

  private OdeSystem.ParamInfo infoOf(int index) {
    for (OdeSystem.ParamInfo info : system.params()) {
      int off = info.var().offset();
      if (index >= off && index < off + info.var().shape().size()) return info;
    }
    throw new IllegalArgumentException("no param at " + index);
  }

  /** This thread's copy of the model (the code it needs generated first, once). */
  private Worker worker() {
    Worker w = workers.get();
    if (w == null) {
      synchronized (this) {
        if (!warm) warmUp(new Worker(model));
        warm = true;
      }
      w = new Worker(model.copy());
      workers.set(w);
    }
    return w;
  }

  private record Worker(GradientModel model) {}

  /**
   * Generates, in a fixed order, every derivative function that the solves may otherwise build
   * on first use (the Jacobians of the stiff solvers, the sensitivity system, the gradient
   * method's systems). Generating one adds nodes to the model's graph fork, and the order in
   * which nodes were created could decide the order of some sums in later derivatives; done up
   * front, the code every worker shares does not depend on which start asked for what first. A
   * few BDF steps from the first experiment suffice; they may fail.
   */
  private void warmUp(Worker w) {
    SolverOptions o = options.copy();
    o.maxSteps = 20;
    GradientProblem pr = new GradientProblem(w.model, data.only(List.of(data.experiments().get(0))), conditions,
        space.base(), t0, t1, Method.BDF, o);
    List<Runnable> steps = List.of(pr::objective, () -> new ForwardSensitivity(false).observedArguments(pr),
        () -> GradientMethods.byName(gradientMethod, paramComponents(), false).compute(pr));
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        // a failed or refused warm-up solve has built what it needed before failing
      }
    }
  }

  /** The gradient problem at the full parameter vector p, over the given data. */
  public GradientProblem problem(double[] p, DataSet over) {
    return new GradientProblem(worker().model, over, conditions, p, t0, t1, method, options);
  }

  private int paramComponents() {
    int k = 0;
    for (OdeSystem.ParamInfo info : system.params()) k += info.var().shape().size();
    return k;
  }

  /** Runs an evaluation, turning what can go wrong at a parameter point into an EvaluationFailure. */
  static <T> T guarded(Supplier<T> body) {
    try {
      return body.get();
    } catch (SolverFailure e) {
      throw new EvaluationFailure("integration failure", e.getMessage());
    } catch (InputError e) {
      throw new EvaluationFailure("invalid model output", e.getMessage());
    } catch (ArithmeticException e) {
      throw new EvaluationFailure("non-finite objective", e.getMessage());
    }
  }

  /** L(θ) from {@code over} (the whole data or a batch), scaled by {@code weight}, plus priors. */
  private double nll(double[] theta, double[] g, DataSet over, double weight) {
    double[] p = space.toP(theta);
    return guarded(() -> {
      GradientProblem pr = problem(p, over);
      double value;
      double[] gradP = new double[p.length];
      if (g == null) {
        value = weight * pr.objective();
      } else {
        GradientMethod gm = GradientMethods.byName(gradientMethod, paramComponents(), false);
        GradientResult r = gm.compute(pr);
        value = weight * r.objective;
        for (int i = 0; i < p.length; i++) gradP[i] = weight * r.gradient[i];
      }
      if (map) value += Priors.nll(system, p, gradP);
      if (!Double.isFinite(value)) {
        throw new EvaluationFailure("non-finite objective", "the objective is " + value + " at these parameters");
      }
      if (g != null) System.arraycopy(space.chain(theta, gradP), 0, g, 0, theta.length);
      return value;
    });
  }

  /** The objective with its gradient from {@code gradientMethod}. */
  public Objective objective() {
    return new Objective() {
      @Override
      public int dimension() {
        return space.size();
      }

      @Override
      public double evaluate(double[] theta, double[] gradient) {
        return nll(theta, gradient, data, 1.0);
      }
    };
  }

  /** The objective as a sum over experiments, for mini-batches. */
  public Adam.BatchObjective batches() {
    List<String> ids = data.experiments();
    return new Adam.BatchObjective() {
      @Override
      public int dimension() {
        return space.size();
      }

      @Override
      public int experiments() {
        return ids.size();
      }

      @Override
      public double evaluate(double[] theta, int[] batch, double[] g) {
        if (batch.length == ids.size()) return nll(theta, g, data, 1.0);
        List<String> subset = new ArrayList<>();
        for (int b : batch) subset.add(ids.get(b));
        return nll(theta, g, data.only(subset), (double) ids.size() / batch.length);
      }
    };
  }

  /** The objective as least squares (see the class comment); check {@link #leastSquaresObstacle} first. */
  public LeastSquares leastSquares() {
    int nObs = 0;
    int nNoise = 0;
    for (String id : data.experiments()) {
      for (DataSet.Observation o : data.observations(id)) {
        nObs++;
        if (noiseVaries[observableIndex(o)]) nNoise++;
      }
    }
    List<ParameterSpace.Component> priorComps = new ArrayList<>();
    if (map) {
      for (ParameterSpace.Component c : space.components()) if (infoOf(c.index()).prior() != null) priorComps.add(c);
    }
    int m = nObs + nNoise + priorComps.size();
    int nData = nObs;
    return new LeastSquares() {
      @Override
      public int dimension() {
        return space.size();
      }

      @Override
      public int residuals() {
        return m;
      }

      @Override
      public double evaluate(double[] theta, double[] r, double[][] jac) {
        double[] p = space.toP(theta);
        ForwardSensitivity.ObservedArguments obs = guarded(() ->
            new ForwardSensitivity(false).observedArguments(problem(p, data)));
        if (obs.items().size() != nData) throw new IllegalStateException("observation count changed");
        int n = space.size();
        double[] dpdth = new double[n];
        for (int j = 0; j < n; j++) dpdth[j] = space.derivative(j, theta[j]);
        double c = 0;
        int row = 0;
        int noiseRow = nData;
        for (ForwardSensitivity.ObservedArgument a : obs.items()) {
          double b = a.b();
          if (!(b > 0) || !Double.isFinite(a.a()) || !Double.isFinite(b)) {
            throw new EvaluationFailure("invalid noise parameter", "observable '" + a.observation().columnName()
                + "' at time " + a.observation().time() + " has mean " + a.a() + " and scale " + b);
          }
          double y = a.observation().value();
          boolean log = a.dist().equals("lognormal");
          double z = ((log ? Math.log(y) : y) - a.a()) / b;
          r[row] = z;
          c += HALF_LOG_2PI + (log ? Math.log(y) : 0);
          boolean noise = noiseVaries[observableIndex(a.observation())];
          double s = 0;
          if (noise) {
            double arg = 2 * Math.log(b) + SIGMA_OFFSET;
            if (!(arg > 0)) {
              throw new EvaluationFailure("invalid noise parameter", "the noise scale of '"
                  + a.observation().columnName() + "' is " + b + ", below what the least-squares form can take");
            }
            s = Math.sqrt(arg);
            r[noiseRow] = s;
            c -= 0.5 * SIGMA_OFFSET;
          } else {
            c += Math.log(b);
          }
          if (jac != null) {
            for (int j = 0; j < n; j++) {
              int k = space.components().get(j).index();
              double da = a.da()[k] * dpdth[j];
              double db = a.db()[k] * dpdth[j];
              jac[row][j] = -da / b - z * db / b;
              if (noise) jac[noiseRow][j] = db / (b * s);
            }
          }
          row++;
          if (noise) noiseRow++;
        }
        if (map) {
          double priorTotal = Priors.nll(system, p, null);
          double squares = 0;
          for (ParameterSpace.Component comp : priorComps) {
            OdeSystem.ParamInfo info = infoOf(comp.index());
            int i = comp.index() - info.var().offset();
            double mu = arg(info.priorArgs().get(0), i);
            double sd = arg(info.priorArgs().get(1), i);
            double z = (p[comp.index()] - mu) / sd;
            r[noiseRow] = z;
            squares += 0.5 * z * z;
            if (jac != null) {
              for (int j = 0; j < n; j++) {
                jac[noiseRow][j] = space.components().get(j).index() == comp.index() ? dpdth[j] / sd : 0;
              }
            }
            noiseRow++;
          }
          if (!Double.isFinite(priorTotal)) {
            throw new EvaluationFailure("non-finite objective", "a prior is zero at these parameters");
          }
          c += priorTotal - squares;
        }
        return c;
      }
    };
  }

  /**
   * The Fisher information at θ of the normal and lognormal likelihood, in θ coordinates:
   * I = Σ_observations (∇a ∇aᵀ + 2 ∇b ∇bᵀ) / b², with a the (log-scale) mean and b the standard
   * deviation, plus 1/σ²·(dp/dθ)² for a normal prior with {@code map}. (Adding ∇b's term is what
   * the extra noise residuals of {@link #leastSquares} do not give, so this is computed apart.)
   */
  public double[][] fisherInformation(double[] theta) {
    double[] p = space.toP(theta);
    int n = space.size();
    double[][] info = new double[n][n];
    ForwardSensitivity.ObservedArguments obs = guarded(() ->
        new ForwardSensitivity(false).observedArguments(problem(p, data)));
    double[] ga = new double[n];
    double[] gb = new double[n];
    for (ForwardSensitivity.ObservedArgument a : obs.items()) {
      double b = a.b();
      for (int j = 0; j < n; j++) {
        int k = space.components().get(j).index();
        double d = space.derivative(j, theta[j]);
        ga[j] = a.da()[k] * d;
        gb[j] = a.db()[k] * d;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) info[i][j] += (ga[i] * ga[j] + 2 * gb[i] * gb[j]) / (b * b);
      }
    }
    if (map) {
      for (int j = 0; j < n; j++) {
        ParameterSpace.Component comp = space.components().get(j);
        OdeSystem.ParamInfo pi = infoOf(comp.index());
        if (pi.prior() == null || !pi.prior().equals("normal")) continue;
        double sd = arg(pi.priorArgs().get(1), comp.index() - pi.var().offset());
        double d = space.derivative(j, theta[j]);
        info[j][j] += d * d / (sd * sd);
      }
    }
    return info;
  }

  /**
   * The Hessian of an objective by central differences of its exact gradient, step
   * h_j = 1e-4·max(1, |θ_j|), symmetrised: H_ij = (g_j(θ + h_i e_i) − g_j(θ − h_i e_i)) / 2h_i.
   */
  public static double[][] hessian(Objective f, double[] theta) {
    int n = theta.length;
    double[][] h = new double[n][n];
    double[] gp = new double[n];
    double[] gm = new double[n];
    for (int i = 0; i < n; i++) {
      double step = 1e-4 * Math.max(1, Math.abs(theta[i]));
      double[] x = theta.clone();
      x[i] = theta[i] + step;
      f.evaluate(x, gp);
      x[i] = theta[i] - step;
      f.evaluate(x, gm);
      for (int j = 0; j < n; j++) h[i][j] = (gp[j] - gm[j]) / (2 * step);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (h[i][j] + h[j][i]);
        h[i][j] = s;
        h[j][i] = s;
      }
    }
    return h;
  }

  private static double arg(double[] v, int i) {
    return v[v.length == 1 ? 0 : i];
  }

  /** The observable of an observation's data column. */
  private int observableIndex(DataSet.Observation o) {
    return columnObservable[o.column()];
  }
}
