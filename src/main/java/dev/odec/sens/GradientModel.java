package dev.odec.sens;

import dev.odec.ad.Jvp;
import dev.odec.codegen.c.CProgram;
import dev.odec.ad.Vjp;
import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.Graph;
import dev.odec.ir.IrFunction;
import dev.odec.ir.IrVerifier;
import dev.odec.ir.Node;
import dev.odec.ir.OdeSystem;
import dev.odec.ir.Shape;
import dev.odec.runtime.CompiledJacobian;
import dev.odec.runtime.LazyJacobian;
import dev.odec.runtime.MemoryBudget;
import dev.odec.solve.OdeJacobian;
import java.util.ArrayList;
import java.util.List;

/**
 * The systems a gradient needs, derived symbolically from a model once and compiled:
 *
 * <ul>
 *   <li>the forward system x' = F(t, x, p) with x = [y, q]: the model's dynamics and, when the
 *       model has {@code rate}s, q' = Σ_r λ_r(t, y, p), the integral of the intensities;
 *   <li>the adjoint system of the backsolve method (Chen et al., Algorithm 1), state
 *       s = [x, λ, μ]: s' = [F, −(∂F/∂x)ᵀλ, −(∂F/∂p)ᵀλ], where λ(t) = dL/dx(t) and μ accumulates
 *       ∫ λᵀ ∂F/∂p dt backwards;
 *   <li>the vector–Jacobian products of F alone, v(t, x, u) = [uᵀ∂F/∂x, uᵀ∂F/∂p, uᵀ∂F/∂t]
 *       (interpolating adjoint and differentiation through the solver's steps);
 *   <li>the observation terms: every observable's distribution arguments and every rate's
 *       intensity as functions A(t, y, p), and, per observable and per rate, their
 *       vector–Jacobian products (separate, so that a term that is not measured at a time never
 *       enters: its partial derivatives may be infinite there, e.g. d log(h)/dh at h = 0, and
 *       0·∞ would poison the sum);
 *   <li>the initial state x0(p) and the product wᵀ ∂x0/∂p;
 *   <li>on demand, the forward-sensitivity system [F, ∂F/∂x S_k + ∂F/∂p_k] for every parameter
 *       component k, with S_k(t0) = ∂x0/∂p_k (and one extra column with S(t0) = −F(t0, x0) for
 *       the gradient with respect to t0).
 * </ul>
 *
 * Every derivative is a graph built by {@link Vjp} or {@link Jvp} on a fork of the model's graph,
 * so it shares the model's subexpressions and is compiled like the model itself.
 *
 * <p><b>Threads.</b> Compiled functions hold scratch space, so an instance serves one thread at a
 * time; {@link #copy} gives an instance for another thread. Copies share everything generated: the
 * systems built on first use are generated once, by the instance copied from (its origin), under
 * the origin's lock, and each copy evaluates the same code with its own scratch space — so every
 * copy computes bit-identical results.
 */
public final class GradientModel {
  private final OdeSystem sys;
  private final Graph g;
  private final Backend backend;
  /** n: state components; nx = n + (1 if the model has rates). */
  final int n;
  final int nx;
  final int np;
  /** Components of p that are params (the first ones; consts follow). */
  final int nParams;
  final boolean hasRates;
  private final List<Node> forwardOutputs;

  final CompiledFunction forward;
  final CompiledFunction adjoint;
  final CompiledFunction vjpF;
  final CompiledFunction observationArgs;
  /** Per observable, then per rate: the products [uᵀ∂A_g/∂y, uᵀ∂A_g/∂p, uᵀ∂A_g/∂t], compiled on first use. */
  private final CompiledFunction[] termVjp;
  private final List<List<Node>> termArgs;
  /** Per term (observable, then rate): offset and length of its arguments in observationArgs' outputs. */
  final int[] termOffset;
  final int[] termLength;
  final CompiledFunction initialState;
  final CompiledFunction initialVjp;
  /** Layout of observationArgs' outputs: for observable o, argument j: offset and size. */
  final int[][] argOffset;
  final int[][] argSize;
  /** Output offset of rate r's intensity. */
  final int[] rateOffset;
  final int argsLength;
  final IrFunction adjointFunction;
  final IrFunction forwardFunction;
  final IrFunction vjpFunction;
  private IrFunction sensitivityFunction;

  private CompiledFunction sensitivity;
  private CompiledFunction sensitivityInitial;
  private boolean sensitivityWithTime;
  /** The model's switches and events (null for a smooth model) and the derivatives jumps need. */
  final dev.odec.runtime.CompiledHybrid hybrid;
  private CompiledFunction rootVjp;
  private CompiledFunction[] jumpVjp;
  private CompiledFunction timeGradients;
  /** The instance that generates what is built on first use (this one, unless this is a copy). */
  private final GradientModel origin;
  /** The origin's generated code by what it computes; guarded by itself, shared by every copy. */
  private final java.util.Map<Object, Object> generated;

  public GradientModel(OdeSystem sys, Backend backend) {
    this.origin = this;
    this.generated = new java.util.HashMap<>();
    this.sys = sys;
    this.g = sys.graph().fork(); // derivatives go into a private graph: the model's stays read-only
    this.backend = backend;
    this.n = sys.stateSize();
    this.hasRates = !sys.rates().isEmpty();
    this.nx = n + (hasRates ? 1 : 0);
    this.np = sys.paramSize();
    this.hybrid = sys.hybrid().isEmpty() ? null : new dev.odec.runtime.CompiledHybrid(sys, backend);
    int params = 0;
    for (OdeSystem.ParamInfo p : sys.params()) params += p.var().shape().size();
    this.nParams = params;

    // forward system
    forwardOutputs = new ArrayList<>(sys.rhs().outputs());
    if (hasRates) {
      Node sum = null;
      for (OdeSystem.Rate r : sys.rates()) sum = sum == null ? r.held() : g.add(sum, r.held());
      forwardOutputs.add(sum);
    }
    forwardFunction = function("forward", forwardOutputs, nx);
    forward = backend.compile(forwardFunction);

    // adjoint: s = [x, λ, μ]
    List<Node> lambda = inputsLike(forwardOutputs, nx);
    Vjp.Result v = Vjp.of(g, forwardOutputs, lambda, nx, np);
    List<Node> adjOut = new ArrayList<>(forwardOutputs);
    adjOut.add(g.neg(v.dy()));
    if (np > 0) adjOut.add(g.neg(v.dp()));
    adjointFunction = function("adjoint", adjOut, 2 * nx + np);
    adjoint = backend.compile(adjointFunction);

    // v(t, [x, u]) = [uᵀF_x, uᵀF_p, uᵀF_t]
    List<Node> vjpOut = new ArrayList<>();
    vjpOut.add(v.dy());
    if (np > 0) vjpOut.add(v.dp());
    vjpOut.add(v.dt());
    vjpFunction = function("vjp_forward", vjpOut, 2 * nx);
    vjpF = backend.compile(vjpFunction);

    // observation arguments and rate intensities
    List<Node> args = new ArrayList<>();
    argOffset = new int[sys.observables().size()][];
    argSize = new int[sys.observables().size()][];
    int off = 0;
    for (int o = 0; o < sys.observables().size(); o++) {
      List<Node> a = sys.observables().get(o).args();
      argOffset[o] = new int[a.size()];
      argSize[o] = new int[a.size()];
      for (int j = 0; j < a.size(); j++) {
        args.add(a.get(j));
        argOffset[o][j] = off;
        argSize[o][j] = a.get(j).size();
        off += a.get(j).size();
      }
    }
    rateOffset = new int[sys.rates().size()];
    for (int r = 0; r < sys.rates().size(); r++) {
      args.add(sys.rates().get(r).intensity());
      rateOffset[r] = off;
      off += 1;
    }
    argsLength = off;
    int terms = sys.observables().size() + sys.rates().size();
    termVjp = new CompiledFunction[terms];
    termArgs = new ArrayList<>();
    termOffset = new int[terms];
    termLength = new int[terms];
    for (int o = 0; o < sys.observables().size(); o++) {
      termArgs.add(sys.observables().get(o).args());
      termOffset[o] = argOffset[o].length == 0 ? 0 : argOffset[o][0];
    }
    for (int r = 0; r < sys.rates().size(); r++) {
      termArgs.add(List.of(sys.rates().get(r).intensity()));
      termOffset[sys.observables().size() + r] = rateOffset[r];
    }
    for (int k = 0; k < terms; k++) for (Node a : termArgs.get(k)) termLength[k] += a.size();
    observationArgs = args.isEmpty() ? null : backend.compile(function("observation_args", args, n));

    // initial state and its transposed derivative
    List<Node> init = new ArrayList<>(sys.initial().outputs());
    if (hasRates) init.add(g.constant(0.0));
    initialState = backend.compile(function("initial_state", init, nx));
    if (np > 0) {
      Vjp.Result iv = Vjp.of(g, init, inputsLike(init, 0), nx, np);
      initialVjp = backend.compile(function("initial_vjp", List.of(iv.dp()), nx));
    } else {
      initialVjp = null;
    }
  }

  /** A copy for another thread: shares the origin's graph, functions and generated code. */
  private GradientModel(GradientModel o) {
    origin = o;
    generated = o.generated;
    sys = o.sys;
    g = o.g;
    backend = o.backend;
    n = o.n;
    nx = o.nx;
    np = o.np;
    nParams = o.nParams;
    hasRates = o.hasRates;
    forwardOutputs = o.forwardOutputs;
    forward = o.forward.copy();
    adjoint = o.adjoint.copy();
    vjpF = o.vjpF.copy();
    observationArgs = o.observationArgs == null ? null : o.observationArgs.copy();
    termVjp = new CompiledFunction[o.termVjp.length];
    termArgs = o.termArgs;
    termOffset = o.termOffset;
    termLength = o.termLength;
    initialState = o.initialState.copy();
    initialVjp = o.initialVjp == null ? null : o.initialVjp.copy();
    argOffset = o.argOffset;
    argSize = o.argSize;
    rateOffset = o.rateOffset;
    argsLength = o.argsLength;
    adjointFunction = o.adjointFunction;
    forwardFunction = o.forwardFunction;
    vjpFunction = o.vjpFunction;
    hybrid = o.hybrid == null ? null : o.hybrid.copy();
  }

  /** An instance for another thread: the same generated code, its own scratch space. */
  public GradientModel copy() {
    return new GradientModel(origin);
  }

  /**
   * What {@code key} names, generated by {@code make} on first use: once for the origin and all
   * its copies (generation adds nodes to the shared graph fork, so it runs under the lock).
   */
  @SuppressWarnings("unchecked")
  private <T> T shared(Object key, java.util.function.Supplier<T> make) {
    synchronized (generated) {
      Object code = generated.get(key);
      if (code == null) {
        code = dev.odec.runtime.DeepStack.call(make); // the transforms recurse over expressions
        generated.put(key, code);
      }
      return (T) code;
    }
  }

  /** This instance's own instance of shared code (the origin evaluates the code itself). */
  private CompiledFunction mine(CompiledFunction code) {
    return code == null || origin == this ? code : code.copy();
  }

  public OdeSystem system() {
    return sys;
  }

  /**
   * The vector–Jacobian product of term k's arguments (observable k, or rate k − #observables):
   * input y = [x (n), u (its arguments' cotangents)], output [uᵀ∂A/∂x, uᵀ∂A/∂p, uᵀ∂A/∂t].
   */
  CompiledFunction termVjp(int k) {
    if (termVjp[k] == null) {
      termVjp[k] = mine(shared("term_vjp_" + k, () -> {
        List<Node> a = termArgs.get(k);
        Vjp.Result v = Vjp.of(g, a, inputsLike(a, n), n, np);
        List<Node> out = new ArrayList<>();
        out.add(v.dy());
        if (np > 0) out.add(v.dp());
        out.add(v.dt());
        return backend.compile(function("term_vjp_" + k, out, n + termLength[k]));
      }));
    }
    return termVjp[k];
  }

  /**
   * The derivatives of every mode's root r_j(t, x, p) (the switching surfaces): with input
   * y = [x, w] (w: one weight per mode), outputs [Σ w_j ∂r_j/∂x, Σ w_j ∂r_j/∂p, Σ w_j ∂r_j/∂t].
   */
  CompiledFunction rootVjp() {
    if (rootVjp == null) {
      rootVjp = mine(shared("root_vjp", () -> {
        List<Node> roots = new ArrayList<>();
        for (dev.odec.ir.Switches.Mode mode : sys.hybrid().modes()) roots.add(mode.root());
        return backend.compile(vjpFunction("root_vjp", roots));
      }));
    }
    return rootVjp;
  }

  /**
   * The transposed derivatives of event e's jump G(t, x, p) on the forward state (the rate
   * integral passes through): with input y = [x, w], outputs [G_xᵀw, G_pᵀw, G_t·w].
   */
  CompiledFunction jumpVjp(int e) {
    if (jumpVjp == null) jumpVjp = new CompiledFunction[sys.hybrid().events().size()];
    if (jumpVjp[e] == null) {
      jumpVjp[e] = mine(shared("event_" + (e + 1) + "_vjp", () -> {
        List<Node> outs = new ArrayList<>(sys.hybrid().events().get(e).jump().outputs());
        if (hasRates) outs.add(g.input(0, n, Shape.SCALAR));
        return backend.compile(vjpFunction("event_" + (e + 1) + "_vjp", outs));
      }));
    }
    return jumpVjp[e];
  }

  /** For each time event (in event order), [∂first/∂p, ∂period/∂p]: 2 np values each (zeros for a state event). */
  CompiledFunction timeGradients() {
    if (timeGradients == null) timeGradients = mine(shared("event_time_gradients", this::generateTimeGradients));
    return timeGradients;
  }

  private CompiledFunction generateTimeGradients() {
    List<Node> outs = new ArrayList<>();
    Node one = g.constant(1.0);
    for (OdeSystem.Event e : sys.hybrid().events()) {
      for (Node time : new Node[] {e.time(), e.period()}) {
        Node dp = time == null || np == 0 ? null : Vjp.of(g, List.of(time), List.of(one), nx, np).dp();
        outs.add(dp != null ? dp : g.constant(Shape.vector(Math.max(np, 1)), new double[Math.max(np, 1)]));
      }
    }
    return backend.compile(function("event_time_gradients", outs, nx));
  }

  /** [uᵀ∂o/∂x, uᵀ∂o/∂p, uᵀ∂o/∂t] of outputs o over x (nx), with the cotangents u after x in y. */
  private IrFunction vjpFunction(String name, List<Node> outs) {
    Vjp.Result v = Vjp.of(g, outs, inputsLike(outs, nx), nx, np);
    List<Node> res = new ArrayList<>();
    res.add(v.dy());
    if (np > 0) res.add(v.dp());
    res.add(v.dt());
    int cot = 0;
    for (Node o : outs) cot += o.size();
    return function(name, res, nx + cot);
  }

  /** The graph the generated systems live in (a fork of the model's). */
  public Graph graph() {
    return g;
  }

  /** The generated adjoint system, for {@code odec compile --emit adjoint}. */
  public IrFunction adjointFunction() {
    return adjointFunction;
  }

  /**
   * The derivative systems {@code odec compile --emit c|cuda} shows: the VJP of F, the backsolve
   * adjoint system and, below {@link GradientMethods#FORWARD_LIMIT} param components (where
   * forward sensitivities are the method of choice), the forward-sensitivity system.
   */
  public CProgram.Derivatives forC() {
    IrFunction sens = null;
    if (nParams > 0 && nParams < GradientMethods.FORWARD_LIMIT) {
      sensitivity(false);
      sens = sensitivityFunction;
    }
    return new CProgram.Derivatives(vjpFunction, adjointFunction, sens);
  }

  /**
   * The forward-sensitivity system, state [x, S_1, ..., S_K(, S_t0)] with K = the number of
   * param components: S_k' = (∂F/∂x) S_k + ∂F/∂p_k (a Jacobian–vector product per column).
   */
  CompiledFunction sensitivity(boolean withTime) {
    if (sensitivity != null && sensitivityWithTime == withTime) return sensitivity;
    Sensitivity code = shared(new Sensitivity(withTime, null, null, null), () -> generateSensitivity(withTime));
    sensitivityFunction = code.function();
    sensitivity = mine(code.rhs());
    sensitivityInitial = mine(code.initial());
    sensitivityWithTime = withTime;
    return sensitivity;
  }

  /** The generated sensitivity system (its key in the shared code: withTime alone). */
  private record Sensitivity(boolean withTime, IrFunction function, CompiledFunction rhs, CompiledFunction initial) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sensitivity s && s.withTime == withTime;
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(withTime);
    }
  }

  private Sensitivity generateSensitivity(boolean withTime) {
    int cols = nParams + (withTime ? 1 : 0);
    int size = nx * (1 + cols);
    List<Node> out = new ArrayList<>(forwardOutputs);
    List<Node> initOut = new ArrayList<>();
    List<Node> init = new ArrayList<>(sys.initial().outputs());
    if (hasRates) init.add(g.constant(0.0));
    for (int k = 0; k < cols; k++) {
      Node s = g.input(0, nx * (1 + k), Shape.vector(nx));
      Node tp = null;
      if (k < nParams) {
        double[] e = new double[np];
        e[k] = 1.0;
        tp = g.constant(Shape.vector(np), e);
      }
      out.addAll(Jvp.of(g, forwardOutputs, s, tp, null, nx, np));
      if (k < nParams) initOut.addAll(Jvp.of(g, init, null, tp, null, nx, np));
    }
    IrFunction f = function("sensitivity", out, size);
    return new Sensitivity(withTime, f, backend.compile(f),
        initOut.isEmpty() ? null : backend.compile(function("sensitivity_initial", initOut, nx)));
  }

  private CompiledFunction modelRhs;

  /** The model's own dynamics f(t, y, p) on its n states (the forward system without the rate integral). */
  CompiledFunction modelRhs() {
    if (!hasRates) return forward;
    if (modelRhs == null) modelRhs = mine(shared("model_rhs", () -> backend.compile(sys.rhs())));
    return modelRhs;
  }

  /** ∂f/∂y of the model's own dynamics, with p bound. */
  OdeJacobian modelJacobian(double[] p) {
    return jacobianOf(hasRates ? sys.rhs() : forwardFunction, p);
  }

  /** ∂F/∂x of the forward system, generated on first use, with p bound. */
  OdeJacobian forwardJacobian(double[] p) {
    return jacobianOf(forwardFunction, p);
  }

  /**
   * The Jacobian of the sensitivity system (after {@link #sensitivity}), marked with its block
   * structure so implicit solvers factor only the nx × nx block ∂F/∂x.
   */
  OdeJacobian sensitivityJacobian(double[] p) {
    return jacobianOf(sensitivityFunction, p, nx);
  }

  /** The Jacobian of the backsolve adjoint system. */
  OdeJacobian adjointJacobian(double[] p) {
    return jacobianOf(adjointFunction, p);
  }

  /** This instance's compiled Jacobians by the function they differentiate, generated once and bound per solve. */
  private final java.util.Map<IrFunction, CompiledJacobian> jacobians = new java.util.IdentityHashMap<>();
  private dev.odec.ad.Jacobian vjpJacobian;
  private CompiledFunction vjpJacobianValues;

  private OdeJacobian jacobianOf(IrFunction f, double[] p) {
    return jacobianOf(f, p, 0);
  }

  private OdeJacobian jacobianOf(IrFunction f, double[] p, int sensitivityBlock) {
    return new LazyJacobian(() -> {
      CompiledJacobian j = jacobians.get(f);
      if (j == null) {
        CompiledJacobian code = shared(f, () -> new CompiledJacobian(g, f, backend, new double[0]));
        j = origin == this ? code : code.copy(new double[0]);
        jacobians.put(f, j);
      }
      return j.bind(p);
    }, sensitivityBlock);
  }

  /**
   * The Jacobian of the interpolating adjoint's backward system [λ, μ]' = −[F_xᵀλ, F_pᵀλ] with
   * respect to [λ, μ]: the entries of ∂(vjp_forward)/∂(its u input), negated; x(t) comes from
   * {@code x}.
   */
  OdeJacobian backwardJacobian(double[] p, java.util.function.BiConsumer<Double, double[]> x) {
    return new LazyJacobian(() -> {
      if (vjpJacobian == null) {
        Object[] code = shared("vjp_forward_jacobian", () -> {
          MemoryBudget.checkJacobian(vjpFunction, "the stiff solver's Jacobian of the adjoint",
              CompiledJacobian.WITHOUT_JACOBIAN);
          dev.odec.ad.Jacobian j = dev.odec.ad.Jacobian.of(g, vjpFunction, 0);
          return new Object[] {j, backend.compile(j.asFunction("vjp_forward_jacobian"))};
        });
        vjpJacobianValues = mine((CompiledFunction) code[1]);
        vjpJacobian = (dev.odec.ad.Jacobian) code[0];
      }
      return new BackwardJacobian(vjpJacobian, vjpJacobianValues, p, nx, np, x);
    });
  }

  /** ∂x0/∂p_k for every param component k, concatenated (after {@link #sensitivity}). */
  CompiledFunction sensitivityInitial() {
    return sensitivityInitial;
  }

  /** Cotangent inputs shaped like {@code outs}, laid out consecutively from {@code offset} in y. */
  private List<Node> inputsLike(List<Node> outs, int offset) {
    List<Node> in = new ArrayList<>();
    int off = offset;
    for (Node o : outs) {
      in.add(g.input(0, off, o.shape));
      off += o.size();
    }
    return in;
  }

  private IrFunction function(String name, List<Node> outputs, int ySize) {
    IrFunction f = new IrFunction(name, outputs, Math.max(ySize, 1), np);
    IrVerifier.verify(f);
    return f;
  }
}
