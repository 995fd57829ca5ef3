package dev.odec.runtime;

import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.OdeSystem;
import dev.odec.solve.OdeFunction;

/**
 * A model's functions compiled by one backend: the right-hand side, the initial state and the
 * derived quantities (lets and observables' means).
 *
 * <p>Compiled functions hold scratch space, so an instance serves one thread at a time.
 * {@link #copy} gives an instance for another thread: it shares the generated code (what is
 * generated on first use — the Jacobian, the switches and events, the derived quantities — is
 * generated once, by the instance it was copied from, under that instance's lock) and has its own
 * scratch space, so every copy computes bit-identical results.
 */
public final class CompiledModel {
  private final OdeSystem system;
  private final CompiledFunction rhs;
  private final CompiledFunction initial;
  private CompiledFunction derived;
  private CompiledHybrid hybrid;
  private CompiledJacobian jacobian;
  private final Backend backend;
  /** The instance that generates what is built on first use (this one, unless this is a copy). */
  private final CompiledModel origin;

  public CompiledModel(OdeSystem system, Backend backend) {
    this.system = system;
    this.backend = backend;
    this.rhs = backend.compile(system.rhs());
    this.initial = backend.compile(system.initial());
    this.origin = this;
  }

  private CompiledModel(CompiledModel o) {
    this.system = o.system;
    this.backend = o.backend;
    this.rhs = o.rhs.copy();
    this.initial = o.initial.copy();
    this.origin = o;
  }

  /** An instance for another thread: the same generated code, its own scratch space. */
  public CompiledModel copy() {
    return new CompiledModel(origin);
  }

  public OdeSystem system() {
    return system;
  }

  /** The ODE right-hand side with the parameters fixed at {@code p} (the array is not copied). */
  public OdeFunction rhs(double[] p) {
    return new BoundFunction(rhs, system.stateSize(), p);
  }

  /** The generated Jacobian ∂f/∂y, compiled, with the parameters bound to p. */
  public CompiledJacobian jacobian(double[] p) {
    if (jacobian == null) {
      jacobian = origin == this ? generated(CompiledModel::jacobianCode)
          : origin.generated(CompiledModel::jacobianCode).copy(new double[0]);
    }
    return jacobian.bind(p);
  }

  /** The model's switches and events, compiled on first use (null for a smooth model). */
  public CompiledHybrid hybrid() {
    if (system.hybrid().isEmpty()) return null;
    if (hybrid == null) {
      hybrid = origin == this ? generated(CompiledModel::hybridCode) : origin.generated(CompiledModel::hybridCode).copy();
    }
    return hybrid;
  }

  /** Runs {@code make} on this (origin) instance under its lock: what copies share is generated once. */
  private synchronized <T> T generated(java.util.function.Function<CompiledModel, T> make) {
    return DeepStack.call(() -> make.apply(this));
  }

  private CompiledJacobian jacobianCode() {
    if (jacobian == null) jacobian = new CompiledJacobian(system.graph().fork(), system.rhs(), backend, new double[0]);
    return jacobian;
  }

  private CompiledHybrid hybridCode() {
    if (hybrid == null) hybrid = new CompiledHybrid(system, backend);
    return hybrid;
  }

  private CompiledFunction derivedCode() {
    if (derived == null) derived = backend.compile(system.derived());
    return derived;
  }

  /** y0(p), checked: a non-finite initial value is an input error naming the state component. */
  public double[] initialState(double[] p) {
    double[] y0 = new double[system.stateSize()];
    initial.eval(0.0, new double[system.stateSize()], p, y0); // out must not alias an input
    for (OdeSystem.Var v : system.states()) {
      for (int i = 0; i < v.shape().size(); i++) {
        double x = y0[v.offset() + i];
        if (!Double.isFinite(x)) {
          throw InputError.at(v.span(), "the initial value of state '" + v.componentNames().get(i) + "' is " + x
              + " with the current parameter values; check its expression and the params it uses");
        }
      }
    }
    return y0;
  }

  /** The derived quantities at (t, y), in {@link OdeSystem#derivedNames()} order. */
  public void derived(double t, double[] y, double[] p, double[] out) {
    if (derived == null) derived = origin == this ? generated(CompiledModel::derivedCode)
        : origin.generated(CompiledModel::derivedCode).copy();
    derived.eval(t, y, p, out);
  }

  public int derivedSize() {
    return system.derived().outputSize();
  }
}
