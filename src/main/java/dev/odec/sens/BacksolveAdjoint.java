package dev.odec.sens;

import dev.odec.runtime.BoundFunction;
import dev.odec.solve.OdeFunction;
import dev.odec.solve.StepObserver;

/**
 * The backsolve adjoint of Chen et al. (Neural ODEs, Algorithm 1), generalised to many
 * measurement times: the augmented state s = [x, λ, μ] is integrated backwards,
 *
 * <pre>
 *   x' = F(t, x, p),   λ' = −(∂F/∂x)ᵀ λ,   μ' = −(∂F/∂p)ᵀ λ,
 * </pre>
 *
 * so the forward pass keeps only the states at the measurement times: memory proportional to
 * the number of measurement times, independent of the number of steps. At each measurement time
 * x restarts from the forward value (which keeps the backward integration of x from drifting).
 * The sweep itself is {@link ContinuousAdjoint}'s.
 */
public final class BacksolveAdjoint extends ContinuousAdjoint {
  @Override
  public String name() {
    return "adjoint";
  }

  @Override
  int backwardSize(GradientModel m) {
    return 2 * m.nx + m.np;
  }

  @Override
  int lambdaOffset(GradientModel m) {
    return m.nx;
  }

  @Override
  StepObserver recorder(GradientModel m, double[] x0, GradientProblem pr) {
    return null;
  }

  @Override
  OdeFunction backward(GradientModel m, StepObserver recorder, double[] p) {
    return new BoundFunction(m.adjoint, 2 * m.nx + m.np, p);
  }

  @Override
  void beforeChunk(double[] s, double[] xForward) {
    System.arraycopy(xForward, 0, s, 0, xForward.length);
  }
}
