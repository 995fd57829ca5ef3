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
  boolean controlsQuadrature() {
    return false;
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
  dev.odec.solve.OdeJacobian backwardJacobian(GradientModel m, StepObserver recorder, double[] p) {
    return m.adjointJacobian(p);
  }

  /**
   * Backward integration of the state of a stiff model is unstable (the decaying modes grow
   * backwards), so the backsolve would return a wrong gradient: it refuses instead.
   */
  @Override
  void check(GradientProblem pr) {
    if (pr.method != null && pr.method.stiff) throw refusal("with the stiff solver " + pr.method.text);
  }

  @Override
  void afterForward(GradientProblem pr, dev.odec.solve.Solution forward) {
    if (forward.stats.switches > 0) throw refusal("(the forward solve found the model stiff and switched to bdf)");
  }

  private static dev.odec.runtime.InputError refusal(String why) {
    return dev.odec.runtime.InputError.usage("the backsolve adjoint cannot be trusted on a stiff model " + why
        + ": integrating the state backwards amplifies its fast decaying modes; use --method checkpoint "
        + "(the interpolating adjoint) or --method forward");
  }

  @Override
  void beforeChunk(double[] s, double[] xForward, double tNext, double tCur) {
    System.arraycopy(xForward, 0, s, 0, xForward.length);
  }
}
