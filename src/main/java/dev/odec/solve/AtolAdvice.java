package dev.odec.solve;

import java.util.Locale;

/**
 * States that never rise above their absolute tolerance. The error test weighs a state's error by
 * atol + rtol |y|; a state whose values all lie below atol may be wrong by more than its own size
 * without any test noticing (the IVP Test Set's E5 at the default atol 1e-8: three species stay
 * below 2e-10, bdf returned 9e-15 for one that ends at 9e-23, and rodas5 drifted to negative
 * values and failed). The solvers' failure messages and {@code odec run}'s warning name such states
 * and suggest an absolute tolerance of their own.
 */
public final class AtolAdvice {
  private AtolAdvice() {}

  /** Whether a state whose largest magnitude is {@code peak} (not zero) never reached its atol. */
  public static boolean unresolved(double peak, double atol) {
    return peak > 0 && peak < atol;
  }

  /** An absolute tolerance that resolves a state of this magnitude: a power of ten 1000 times smaller. */
  public static double suggested(double magnitude) {
    return Math.pow(10, Math.floor(Math.log10(magnitude * 1e-3)));
  }

  /** A tolerance as the CLI takes it: 1e-08 → 1e-8. */
  public static String format(double v) {
    return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e+");
  }

  /**
   * The advice for a solver's failure message from each state's largest magnitude so far, or ""
   * when every state reached its atol: names up to three states that did not as "state component
   * N" (the CLI puts in their names) and suggests a tolerance for them, or a smaller --atol for all
   * when no state reached it.
   */
  static String forFailure(int n, double[] peak, double[] atolV) {
    boolean anyResolved = false;
    int count = 0;
    double smallest = Double.POSITIVE_INFINITY;
    double atol = 0;
    StringBuilder names = new StringBuilder();
    for (int c = 0; c < n; c++) {
      if (!unresolved(peak[c], atolV[c])) {
        anyResolved |= peak[c] >= atolV[c];
        continue;
      }
      if (count < 3) {
        names.append(count == 0 ? "" : ", ").append("state component ").append(c + 1);
      }
      count++;
      smallest = Math.min(smallest, peak[c]);
      atol = Math.max(atol, atolV[c]);
    }
    if (count == 0) return "";
    boolean one = count == 1;
    String suggestion = anyResolved
        ? String.format(Locale.ROOT, "give %s a tolerance of %s own, e.g. --atol %s,NAME=%s", one ? "it" : "them",
            one ? "its" : "their", format(atol), format(suggested(smallest)))
        : "lower --atol, e.g. to " + format(suggested(smallest));
    return String.format(Locale.ROOT,
        "; %s%s %s not risen above the absolute tolerance so far (largest |y| %.2g against %.2g), so %s error is "
            + "not controlled: %s",
        names, count > 3 ? " and " + (count - 3) + " more" : "", one ? "has" : "have", smallest, atol, one ? "its" : "their",
        suggestion);
  }

  /**
   * "; the error of state component N limits the step" for the component with the largest weighted
   * error of the last attempt (entries ≥ 0), then {@link #forFailure}: for the messages of a step
   * that would not grow.
   */
  static String forStep(int n, double[] weightedError, double[] peak, double[] atolV) {
    int worst = -1;
    for (int c = 0; c < n; c++) {
      if (weightedError[c] >= 0 && (worst < 0 || weightedError[c] > weightedError[worst])) worst = c;
    }
    String limit = worst < 0 || !(weightedError[worst] > 0) ? ""
        : "; the error of state component " + (worst + 1) + " limits the step";
    return limit + forFailure(n, peak, atolV);
  }

  /** Starts the largest magnitudes of a solve at |y0|. */
  static void start(int n, double[] y0, double[] peak) {
    for (int c = 0; c < n; c++) peak[c] = Math.abs(y0[c]);
  }

  /** Takes an accepted state into the largest magnitudes. */
  static void update(int n, double[] y, double[] peak) {
    for (int c = 0; c < n; c++) peak[c] = Math.max(peak[c], Math.abs(y[c]));
  }

  /**
   * The warning after a solve that finished when states never rose above their absolute tolerance
   * while another state did (or, when none did, about all of them): their error is not controlled
   * relative to their size and may exceed it (the IVP Test Set's E5 at the default atol: species
   * near 1e-22 came out orders of magnitude off, silently). Null when there is nothing to say.
   *
   * @param names the state components' names
   * @param peak each component's largest magnitude in the solve ({@link Peaks})
   * @param atolV each component's absolute tolerance
   * @param number how the caller writes numbers (the CLI: shortest round-trip form)
   */
  public static String unresolvedWarning(java.util.List<String> names, double[] peak, double[] atolV,
      java.util.function.DoubleFunction<String> number) {
    java.util.List<String> low = new java.util.ArrayList<>();
    StringBuilder each = new StringBuilder();
    double atol = 0;
    boolean anyResolved = false;
    for (int c = 0; c < names.size(); c++) {
      double a = atolV[c];
      if (unresolved(peak[c], a)) {
        if (low.size() < 3) each.append(',').append(names.get(c)).append('=').append(format(suggested(peak[c])));
        low.add(names.get(c) + "' (largest |value| " + number.apply(peak[c]) + ")");
        atol = Math.max(atol, a);
      } else if (peak[c] >= a) {
        anyResolved = true;
      }
    }
    if (low.isEmpty()) return null;
    boolean one = low.size() == 1;
    String who = "'" + String.join(", '", low.subList(0, Math.min(3, low.size())))
        + (low.size() > 3 ? " and " + (low.size() - 3) + " more" : "");
    String fix = anyResolved
        ? "give " + (one ? "it its" : "them their") + " own absolute tolerance, e.g. --atol " + format(atol) + each
        : "lower --atol below " + (one ? "its" : "their") + " values";
    return "state" + (one ? " " : "s ") + who + (one ? " never rises" : " never rise") + " above the absolute tolerance "
        + number.apply(atol) + ": " + (one ? "its" : "their") + " error is not controlled and may exceed "
        + (one ? "it" : "them") + "; " + fix;
  }
}
