package dev.odec.infer.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * The profile likelihood of one parameter (Raue et al., "Structural and practical
 * identifiability analysis of partially observed dynamical models by exploiting the profile
 * likelihood", Bioinformatics 25, 2009): PL(θ_j) = min over the other coordinates of L, traced
 * from the optimum in both directions, each point re-optimised from the previous one.
 *
 * <p>Steps adapt: a step whose increase of L exceeds a quarter of the threshold is halved and
 * tried again; one that raises L by less than a twentieth of it doubles the next. A side ends
 * where PL − L* exceeds the threshold Δ = χ²₁(level)/2 (1.92 for 95 %), at the bound, or after
 * {@value #MAX_POINTS} points. The interval's end is where the straight line between the last
 * point below and the first point above Δ crosses it; a side that never crosses is open
 * (NaN), the sign of a practically non-identifiable parameter.
 */
public final class Profile {
  public static final int MAX_POINTS = 60;

  /** One point: θ_j, the profile value and the optimised point. */
  public record Point(double value, double objective, double[] theta) {}

  /** A parameter's profile, points ordered by θ_j, and its interval ends in θ (NaN: open). */
  public record Result(int index, List<Point> points, double lower, double upper, double threshold) {}

  private Profile() {}

  /** Δ = χ²₁(level)/2; the quantile from the normal one: χ²₁(level) = z²((1 + level)/2). */
  public static double threshold(double level) {
    double z = inverseNormal(0.5 + 0.5 * level);
    return 0.5 * z * z;
  }

  public static Result of(FitProblem fp, Fit.Settings s, double[] best, double objective, int j, double firstStep,
      StopRules stop) {
    double delta = threshold(0.95);
    double lo = fp.space.lower()[j];
    double hi = fp.space.upper()[j];
    List<Point> left = new ArrayList<>();
    List<Point> right = new ArrayList<>();
    double[] ends = new double[2];
    for (int side = 0; side < 2; side++) {
      double dir = side == 0 ? -1 : 1;
      List<Point> pts = side == 0 ? left : right;
      double step = firstStep;
      double[] prev = best.clone();
      double prevL = objective;
      double end = Double.NaN;
      for (int k = 0; k < MAX_POINTS && stop.interruption(0) == null; k++) {
        double t = prev[j] + dir * step;
        boolean atBound = false;
        if (t <= lo || t >= hi) {
          t = Math.max(lo, Math.min(hi, t));
          atBound = true;
          if (t == prev[j]) break;
        }
        OptimResult r;
        try {
          r = Fit.optimize(fp, s, prev, stop, s.seed(), j, t);
        } catch (EvaluationFailure e) {
          if (step < 1e-6) break;
          step *= 0.5;
          continue;
        }
        double rise = r.objective() - prevL;
        if (rise > 0.25 * delta && step > 1e-4) {
          step *= 0.5;
          continue;
        }
        pts.add(new Point(t, r.objective(), r.theta()));
        if (r.objective() - objective > delta) {
          double a = (delta - (prevL - objective)) / (r.objective() - prevL);
          end = prev[j] + a * (t - prev[j]);
          break;
        }
        if (atBound) break;
        if (rise < 0.05 * delta) step *= 2;
        prev = r.theta();
        prevL = r.objective();
      }
      ends[side] = end;
    }
    List<Point> all = new ArrayList<>();
    for (int i = left.size() - 1; i >= 0; i--) all.add(left.get(i));
    all.add(new Point(best[j], objective, best.clone()));
    all.addAll(right);
    return new Result(j, all, ends[0], ends[1], delta);
  }

  /**
   * The standard normal quantile (Acklam's rational approximation refined by one Halley step
   * with erf), for the χ² threshold of any confidence level.
   */
  static double inverseNormal(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
      double q = p - 0.5;
      double r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = 0.5 * (1 + dev.odec.ir.Scalar.erf(x / Math.sqrt(2))) - p;
    double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
    return x - u / (1 + x * u / 2);
  }
}
