package dev.odec.api;

import dev.odec.infer.optim.Fit;
import dev.odec.infer.optim.FitSetup;
import dev.odec.infer.optim.MultiStart;
import dev.odec.infer.optim.ParameterSpace;
import dev.odec.infer.optim.Uncertainty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a fit ({@link Model#fit}): the best objective over the starts, the estimates with
 * standard errors and 95 % Wald intervals (from the Fisher information for {@code ls}, the Hessian
 * otherwise), every start's outcome, and the parameter values at the optimum, ready to solve or
 * differentiate with. Immutable.
 */
public final class FitResult {
  /**
   * One estimated param component.
   *
   * @param name the component ({@code k}, {@code W[2,1]})
   * @param value the estimate, in natural scale
   * @param standardError its standard error in natural scale (delta method); infinite when the
   *     data do not determine it, NaN when no uncertainty could be computed
   * @param lower95 the lower end of the 95 % Wald interval (computed in the param's scale, so
   *     asymmetric for a log scale); NaN when unknown
   * @param upper95 the upper end; NaN when unknown
   * @param scale the scale it was estimated in
   * @param identifiable false when it has a component in a direction the data do not determine
   */
  public record Estimate(String name, double value, double standardError, double lower95, double upper95, String scale,
      boolean identifiable) {}

  /**
   * One start's outcome.
   *
   * @param index 0 for the given values, then the sampled starts
   * @param objective where it ended (NaN when it failed)
   * @param converged whether a convergence test stopped it (else the iteration budget, the time
   *     limit, or no progress did)
   * @param iterations the optimizer's iterations
   * @param exit why it stopped ({@code gradient}, {@code step}, {@code function change},
   *     {@code max-iter}, ...), or what kind of failure ended it
   * @param failure the failure's message, or null
   */
  public record Start(int index, double objective, boolean converged, int iterations, String exit, String failure) {
    /** Whether the start failed (no objective). */
    public boolean failed() {
      return failure != null;
    }
  }

  private final double objective;
  private final String optimizer;
  private final int best;
  private final ParameterValues values;
  private final List<Estimate> estimates;
  private final List<Start> starts;
  private final String uncertaintySource;
  private final String uncertaintyFailure;

  FitResult(Model model, ParameterValues start, FitSetup setup, Fit.Result r) {
    ParameterSpace space = setup.problem().space;
    this.objective = r.objective();
    this.optimizer = setup.optimizer();
    this.best = r.best();
    double[] p = space.toP(r.theta());
    Uncertainty u = r.uncertainty();
    List<Estimate> es = new ArrayList<>();
    Map<String, Double> overrides = new LinkedHashMap<>(start.overrides());
    for (int j = 0; j < space.size(); j++) {
      ParameterSpace.Component c = space.components().get(j);
      // exp(log(hi)) may exceed hi in the last bit: the estimate is within the bounds
      double v = Math.min(c.hi(), Math.max(c.lo(), p[c.index()]));
      boolean unknown = u == null;
      es.add(new Estimate(c.name(), v, unknown ? Double.NaN : u.seNatural[j], unknown ? Double.NaN : u.lower[j],
          unknown ? Double.NaN : u.upper[j], c.scale(), unknown || !u.nonIdentifiable[j]));
      overrides.remove(c.name());
      overrides.put(c.name(), v);
    }
    this.estimates = List.copyOf(es);
    List<Start> ss = new ArrayList<>();
    for (MultiStart.StartResult s : r.starts()) {
      ss.add(s.failed() ? new Start(s.index(), Double.NaN, false, 0, s.failureKind(), s.failure())
          : new Start(s.index(), s.result().objective(), s.result().converged(), s.result().iterations(), s.result().exit(),
              null));
    }
    this.starts = List.copyOf(ss);
    this.values = model.parameters(overrides, start.seed(), false);
    this.uncertaintySource = r.uncertaintyFrom();
    this.uncertaintyFailure = r.uncertaintyFailure();
  }

  /** The best objective (negative log-likelihood, plus negative log-priors with {@code map}). */
  public double objective() {
    return objective;
  }

  /** The optimizer that ran ({@code ls}, {@code lbfgs} or {@code adam}). */
  public String optimizer() {
    return optimizer;
  }

  /** The index of the best start in {@link #starts()}. */
  public int best() {
    return best;
  }

  /** Every param and const at the optimum: the start's values with the estimates set. */
  public ParameterValues parameters() {
    return values;
  }

  /** The estimated components, in the model's order. */
  public List<Estimate> estimates() {
    return estimates;
  }

  /**
   * One estimate.
   *
   * @throws UnknownNameException when no estimated component has that name
   */
  public Estimate estimate(String name) {
    for (Estimate e : estimates) if (e.name().equals(name)) return e;
    List<String> names = estimates.stream().map(Estimate::name).toList();
    throw new UnknownNameException("'" + name + "' is not an estimated param" + dev.odec.sema.Suggest.hint(name, names)
        + "; the estimated ones are " + String.join(", ", names), name, dev.odec.sema.Suggest.closest(name, names));
  }

  /** Every start's outcome, by index. */
  public List<Start> starts() {
    return starts;
  }

  /** Where the standard errors come from: {@code Fisher information} or {@code Hessian}. */
  public String uncertaintySource() {
    return uncertaintySource;
  }

  /** Why no standard errors could be computed, when they could not. */
  public Optional<String> uncertaintyFailure() {
    return Optional.ofNullable(uncertaintyFailure);
  }
}
