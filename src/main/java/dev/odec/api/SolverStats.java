package dev.odec.api;

/**
 * The work a solve did, as {@code odec run --stats} prints it.
 *
 * @param nfe evaluations of the right-hand side, of every kind
 * @param steps accepted steps
 * @param rejected rejected step attempts
 * @param jacobians Jacobian evaluations (implicit methods)
 * @param lu LU factorisations (implicit methods)
 * @param switches switches from the explicit to the stiff method ({@code auto})
 */
public record SolverStats(long nfe, long steps, long rejected, long jacobians, long lu, long switches) {
  static SolverStats of(dev.odec.solve.Stats s) {
    return new SolverStats(s.nfe, s.steps, s.rejected, s.jacobians, s.lu, s.switches);
  }
}
