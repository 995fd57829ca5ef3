package dev.odec.infer.optim;

import java.util.SplittableRandom;

/**
 * Start points of a multi-start fit: the first is the nominal point; the others a Latin hypercube
 * sample (McKay, Beckman and Conover, Technometrics 21, 1979; the sampling of Data2Dynamics'
 * {@code arFitLHS}) in the parameters' scales within their bounds: each coordinate's range is cut
 * into N − 1 equal strata, every stratum gets one point at a uniform position in it, and the
 * strata are paired across coordinates by independent random permutations. Seeded, so the same
 * seed gives the same points. A coordinate without finite bounds is sampled within ±2 of its
 * nominal value in log scales (a factor e² or 10²) and ±max(1, |θ|) in lin scale.
 */
public final class Starts {
  private Starts() {}

  public static double[][] of(double[] nominal, double[] lo, double[] hi, double[] widths, int count, long seed) {
    int n = nominal.length;
    double[][] out = new double[count][];
    out[0] = nominal.clone();
    int k = count - 1;
    if (k == 0) return out;
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 1; i < count; i++) out[i] = new double[n];
    for (int j = 0; j < n; j++) {
      double a = lo[j];
      double b = hi[j];
      double width = widths[j];
      if (a == Double.NEGATIVE_INFINITY) a = Math.min(nominal[j], b) - width;
      if (b == Double.POSITIVE_INFINITY) b = Math.max(nominal[j], a) + width;
      int[] perm = new int[k];
      for (int s = 0; s < k; s++) perm[s] = s;
      for (int s = k - 1; s > 0; s--) {
        int r = rng.nextInt(s + 1);
        int t = perm[s];
        perm[s] = perm[r];
        perm[r] = t;
      }
      for (int s = 0; s < k; s++) out[s + 1][j] = a + (b - a) * (perm[s] + rng.nextDouble()) / k;
    }
    return out;
  }

}
