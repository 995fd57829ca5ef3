package dev.odec.infer.optim;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Standard errors and correlations of the estimates from a curvature matrix H of the objective at
 * the optimum (the Fisher information, or the Hessian of the negative log-likelihood), in the
 * parameters' scales: Cov(θ̂) ≈ H⁻¹, SE_j = √(H⁻¹)_jj, corr_ij = (H⁻¹)_ij / (SE_i SE_j).
 *
 * <p>H = V diag(λ) Vᵀ is decomposed first. Eigenvalues at or below {@value #NULL_TOLERANCE}·λ_max
 * (or negative: a saddle, or noise in a flat direction) span directions the data do not
 * determine: the inverse is taken on the other eigenvectors only (a pseudo-inverse), every
 * parameter with a component above {@value #NULL_COMPONENT} in a null direction is reported
 * non-identifiable with an infinite standard error, and the null directions are kept for the
 * report.
 *
 * <p>In natural scale (delta method): SE(p_j) = |dp_j/dθ_j|·SE(θ_j); the 95 % Wald interval
 * θ̂_j ± 1.96·SE(θ_j) is transformed back, so it is asymmetric for log-scale parameters.
 */
public final class Uncertainty {
  public static final double NULL_TOLERANCE = 1e-9;
  public static final double NULL_COMPONENT = 0.1;
  private static final double Z95 = 1.959963984540054;

  public final double[] se;
  public final double[] seNatural;
  public final double[][] correlation;
  public final boolean[] nonIdentifiable;
  public final List<double[]> nullDirections;
  public final double[] lower;
  public final double[] upper;

  private Uncertainty(int n) {
    se = new double[n];
    seNatural = new double[n];
    correlation = new double[n][n];
    nonIdentifiable = new boolean[n];
    nullDirections = new ArrayList<>();
    lower = new double[n];
    upper = new double[n];
  }

  public static Uncertainty of(ParameterSpace space, double[] theta, double[][] h) {
    int n = theta.length;
    Uncertainty u = new Uncertainty(n);
    if (n == 0) return u;
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a.set(i, j, 0.5 * (h[i][j] + h[j][i]));
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    double[][] cov = new double[n][n];
    if (!eig.decompose(a)) {
      java.util.Arrays.fill(u.nonIdentifiable, true);
    } else {
      double max = 0;
      for (int k = 0; k < n; k++) max = Math.max(max, eig.getEigenvalue(k).getReal());
      for (int k = 0; k < n; k++) {
        double lambda = eig.getEigenvalue(k).getReal();
        DMatrixRMaj v = eig.getEigenVector(k);
        if (!(lambda > NULL_TOLERANCE * max) || !Double.isFinite(lambda)) {
          double[] dir = new double[n];
          for (int i = 0; i < n; i++) {
            dir[i] = v.get(i, 0);
            if (Math.abs(dir[i]) > NULL_COMPONENT) u.nonIdentifiable[i] = true;
          }
          u.nullDirections.add(dir);
          continue;
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cov[i][j] += v.get(i, 0) * v.get(j, 0) / lambda;
      }
    }
    for (int i = 0; i < n; i++) {
      u.se[i] = u.nonIdentifiable[i] ? Double.POSITIVE_INFINITY : Math.sqrt(Math.max(0, cov[i][i]));
      double d = Math.abs(space.derivative(i, theta[i]));
      u.seNatural[i] = u.se[i] * d;
      u.lower[i] = space.natural(i, theta[i] - Z95 * u.se[i]);
      u.upper[i] = space.natural(i, theta[i] + Z95 * u.se[i]);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        boolean ok = !u.nonIdentifiable[i] && !u.nonIdentifiable[j] && u.se[i] > 0 && u.se[j] > 0;
        u.correlation[i][j] = ok ? cov[i][j] / (u.se[i] * u.se[j]) : (i == j ? 1 : Double.NaN);
      }
    }
    return u;
  }
}
