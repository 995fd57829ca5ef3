package dev.odec.runtime;

import dev.odec.codegen.Backend;
import dev.odec.codegen.CompiledFunction;
import dev.odec.ir.OdeSystem;
import dev.odec.solve.OdeFunction;
import java.util.List;

/**
 * A model's functions compiled by one backend: the right-hand side, the initial state and the
 * derived quantities (lets and observables' means).
 */
public final class CompiledModel {
  private final OdeSystem system;
  private final CompiledFunction rhs;
  private final CompiledFunction initial;
  private CompiledFunction derived;
  private CompiledHybrid hybrid;
  private CompiledJacobian jacobian;
  private final Backend backend;

  public CompiledModel(OdeSystem system, Backend backend) {
    this.system = system;
    this.backend = backend;
    this.rhs = backend.compile(system.rhs());
    this.initial = backend.compile(system.initial());
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
    if (jacobian == null) jacobian = new CompiledJacobian(system.graph().fork(), system.rhs(), backend, p);
    return jacobian.bind(p);
  }

  /** The model's switches and events, compiled on first use (null for a smooth model). */
  public CompiledHybrid hybrid() {
    if (system.hybrid().isEmpty()) return null;
    if (hybrid == null) hybrid = new CompiledHybrid(system, backend);
    return hybrid;
  }

  /** y0(p), checked: a non-finite initial value is an input error naming the state component. */
  public double[] initialState(double[] p) {
    double[] y0 = new double[system.stateSize()];
    initial.eval(0.0, new double[system.stateSize()], p, y0); // out must not alias an input
    List<String> names = system.stateComponentNames();
    for (int i = 0; i < y0.length; i++) {
      if (!Double.isFinite(y0[i])) {
        throw InputError.input("the initial value of state '" + names.get(i) + "' is " + y0[i]
            + " with the current parameter values; check its expression and the params it uses");
      }
    }
    return y0;
  }

  /** The derived quantities at (t, y), in {@link OdeSystem#derivedNames()} order. */
  public void derived(double t, double[] y, double[] p, double[] out) {
    if (derived == null) derived = backend.compile(system.derived());
    derived.eval(t, y, p, out);
  }

  public int derivedSize() {
    return system.derived().outputSize();
  }
}
