package dev.odec.infer;

import dev.odec.ad.Trace;
import dev.odec.codegen.BatchBackend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Shape;
import dev.odec.ir.Switches;
import dev.odec.runtime.BatchRhs;
import dev.odec.runtime.InputError;
import dev.odec.solve.BatchRk;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A continuous normalizing flow ({@code flow x ~ DIST(...)}): the state x carries a density that
 * starts as DIST at t0 and is transported by the dynamics, with the instantaneous change of
 * variables (Chen et al. 2018, Theorem 1)
 *
 * <pre>
 *   d log p(x(t))/dt = −tr(∂f/∂x)
 * </pre>
 *
 * integrated as one more state L beside x: the augmented system is (x, L)' = (f, −tr), with the
 * trace generated exactly or estimated by Hutchinson's estimator with a noise vector ε held
 * constant along each trajectory (extra states with zero derivative), see {@link Trace}.
 *
 * <ul>
 *   <li><b>Density</b> of points at T: integrate (x, L) backwards from (x_T, 0) to t0; then
 *       log p_T(x_T) = log p_0(x(t0)) − L(t0).
 *   <li><b>Sampling</b>: x0 ~ DIST, L(t0) = log p_0(x0), integrate forward to T: L(T) = log p_T(x(T)).
 * </ul>
 * All points are solved together by {@link BatchRk}, each with its own step-size control, the
 * parameters shared by all rows (so a network's layers are GEMMs on the ND4J backend).
 */
public final class Flow {
  /** How the trace is computed: exactly, or by Hutchinson's estimator with this noise. */
  public enum TraceKind { EXACT, RADEMACHER, GAUSSIAN }

  private final OdeSystem sys;
  private final OdeSystem.Flow flow;
  private final OdeSystem.Var state;
  private final int d;
  private final TraceKind trace;
  private final IrFunction augmented;
  private final CompiledFunction baseArgs;

  private Flow(OdeSystem sys, TraceKind trace) {
    this.sys = sys;
    this.flow = sys.flows().get(0);
    this.state = stateOf(sys, flow.state());
    this.d = state.shape().size();
    this.trace = trace;
    this.augmented = augment();
    this.baseArgs = new JvmBackend().compile(new IrFunction("flow_args", flow.args(), sys.stateSize(), sys.paramSize()));
  }

  /**
   * The flow of a model, checked: it must have a {@code flow} statement, its flow state must be its
   * only state, and the dynamics must be differentiable (no switches).
   *
   * @param command the command, for messages
   */
  public static Flow of(OdeSystem sys, TraceKind trace, String command) {
    if (sys.flows().isEmpty()) {
      throw InputError.usage("odec " + command + " needs a model with a flow statement; " + sys.name() + " has none "
          + "(declare one, e.g. 'flow x ~ normal(0, 1)' for a state x)");
    }
    OdeSystem.Flow f = sys.flows().get(0);
    if (sys.flows().size() > 1) {
      throw InputError.at(f.span(), "this version supports one flow statement per model; "
          + sys.name() + " has " + sys.flows().size());
    }
    if (sys.states().size() != 1) {
      throw InputError.at(f.span(), "the flow state '" + f.state() + "' must be the model's only state "
          + "(its density is over the whole state); " + sys.name() + " has " + sys.states().size() + " states");
    }
    if (!sys.hybrid().modes().isEmpty()) {
      Switches.Mode m = sys.hybrid().modes().get(0);
      throw InputError.at(m.span(), "the dynamics of flow state '" + f.state() + "' use " + m.what()
          + ", which has no derivative where it switches, so tr(∂f/∂" + f.state() + ") is undefined there; use a "
          + "smooth function (tanh, softplus, sigmoid) in a flow");
    }
    if (!sys.hybrid().events().isEmpty()) {
      OdeSystem.Event e = sys.hybrid().events().get(0);
      throw InputError.at(e.span(), "a flow's state cannot jump at events (the density would need the "
          + "jump's Jacobian); remove the event or the flow statement");
    }
    return new Flow(sys, trace);
  }

  private static OdeSystem.Var stateOf(OdeSystem sys, String name) {
    for (OdeSystem.Var v : sys.states()) if (v.name().equals(name)) return v;
    throw new IllegalStateException("flow state " + name + " is not a state");
  }

  /** The augmented system (y, L, ε) with outputs (f, −tr, 0). */
  private IrFunction augment() {
    Graph g = sys.graph().fork();
    int n = sys.stateSize();
    int ySize = n + 1 + (trace == TraceKind.EXACT ? 0 : d);
    int pSize = sys.paramSize();
    List<Node> outs = new ArrayList<>(sys.rhs().outputs());
    Node fx = outs.get(0);
    Node tr = trace == TraceKind.EXACT
        ? Trace.exact(g, fx, state.offset(), ySize, pSize)
        : Trace.hutchinson(g, fx, g.input(0, n + 1, fx.shape), state.offset(), ySize, pSize);
    outs.add(g.neg(tr));
    if (trace != TraceKind.EXACT) outs.add(g.constant(Shape.vector(d), new double[d]));
    return new IrFunction("flow_" + trace.name().toLowerCase(java.util.Locale.ROOT), outs, ySize, pSize);
  }

  /** The generated augmented system (for tests and --emit). */
  public IrFunction augmented() {
    return augmented;
  }

  /** The flow state's component names, as CSV columns ({@code x[1]}, {@code x[2]}). */
  public List<String> columns() {
    return state.componentNames();
  }

  /** log p_0(x) under the base distribution with the parameters p. */
  public double baseLogDensity(double[] x, double[] p) {
    double[] args = new double[baseArgs.outputSize()];
    baseArgs.eval(0.0, new double[sys.stateSize()], p, args);
    int k = flow.args().size();
    double lp = 0.0;
    for (int i = 0; i < d; i++) {
      double a = args[argIndex(0, i)];
      double b = k > 1 ? args[argIndex(1, i)] : Double.NaN;
      lp -= Distributions.nll(flow.dist(), x[i], a, b);
    }
    return lp;
  }

  private int argIndex(int arg, int i) {
    int off = 0;
    for (int a = 0; a < arg; a++) off += flow.args().get(a).size();
    return off + (flow.args().get(arg).size() == 1 ? 0 : i);
  }

  /** One draw of x0 from the base distribution. */
  public double[] sampleBase(Random rng, double[] p) {
    double[] args = new double[baseArgs.outputSize()];
    baseArgs.eval(0.0, new double[sys.stateSize()], p, args);
    int k = flow.args().size();
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      x[i] = Distributions.sample(flow.dist(), args[argIndex(0, i)], k > 1 ? args[argIndex(1, i)] : Double.NaN, rng);
    }
    return x;
  }

  /** Solves the augmented system for every row of y0 from t0 to t1; a failed row is NaN. */
  private double[][] solve(BatchBackend backend, Method method, SolverOptions o, double[] p, double[][] y0, double t0,
      double t1, SolverFailure[] failures) {
    int na = augmented.ySize();
    SolverOptions oa = o.copy();
    if (o.rtolPerState != null || o.atolPerState != null) {
      throw InputError.usage("per-state tolerances are not available for flows");
    }
    BatchRhs rhs = new BatchRhs(backend.compileBatch(augmented), na, List.of(p));
    BatchRk.Result r = new BatchRk(method, na).solve(rhs, t0, y0, new double[] {t1}, oa);
    double[][] end = new double[y0.length][];
    for (int m = 0; m < y0.length; m++) {
      failures[m] = r.failures()[m];
      end[m] = failures[m] != null ? null : r.solutions()[m].states[0];
    }
    return end;
  }

  /** The noise ε of Hutchinson's estimator for one trajectory, or nothing for the exact trace. */
  private void noise(Random rng, double[] row) {
    int at = sys.stateSize() + 1;
    for (int i = 0; i < d && trace != TraceKind.EXACT; i++) {
      row[at + i] = trace == TraceKind.GAUSSIAN ? rng.nextGaussian() : rng.nextBoolean() ? 1.0 : -1.0;
    }
  }

  /** log p_T at each point (NaN where a solve failed, with its failure in failures). */
  public double[] density(double[][] points, double t0, double t1, double[] p, BatchBackend backend, Method method,
      SolverOptions o, long seed, SolverFailure[] failures) {
    Random rng = new Random(seed);
    int na = augmented.ySize();
    double[][] y0 = new double[points.length][];
    for (int m = 0; m < points.length; m++) {
      y0[m] = new double[na];
      System.arraycopy(points[m], 0, y0[m], state.offset(), d);
      noise(rng, y0[m]);
    }
    double[][] back = solve(backend, method, o, p, y0, t1, t0, failures);
    double[] logp = new double[points.length];
    for (int m = 0; m < points.length; m++) {
      if (back[m] == null) {
        logp[m] = Double.NaN;
        continue;
      }
      double[] x0 = java.util.Arrays.copyOfRange(back[m], state.offset(), state.offset() + d);
      logp[m] = baseLogDensity(x0, p) - back[m][sys.stateSize()];
    }
    return logp;
  }

  /**
   * N points drawn from the base distribution at t0 and pushed to t1: row m is the point's
   * components, then its log-density (NaN rows where a solve failed).
   */
  public double[][] generate(int count, double t0, double t1, double[] p, BatchBackend backend, Method method,
      SolverOptions o, long seed, SolverFailure[] failures) {
    Random rng = new Random(seed);
    int na = augmented.ySize();
    double[][] y0 = new double[count][];
    for (int m = 0; m < count; m++) {
      double[] x0 = sampleBase(rng, p);
      y0[m] = new double[na];
      System.arraycopy(x0, 0, y0[m], state.offset(), d);
      y0[m][sys.stateSize()] = baseLogDensity(x0, p);
      noise(rng, y0[m]);
    }
    double[][] end = solve(backend, method, o, p, y0, t0, t1, failures);
    double[][] out = new double[count][d + 1];
    for (int m = 0; m < count; m++) {
      if (end[m] == null) {
        java.util.Arrays.fill(out[m], Double.NaN);
        continue;
      }
      System.arraycopy(end[m], state.offset(), out[m], 0, d);
      out[m][d] = end[m][sys.stateSize()];
    }
    return out;
  }
}
