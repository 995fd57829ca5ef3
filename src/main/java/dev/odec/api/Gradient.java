package dev.odec.api;

import dev.odec.ir.OdeSystem;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An objective (the negative log-likelihood, plus the negative log-priors when asked) and its
 * gradient with respect to every param component, in the params' natural scale, with the work it
 * took; with time gradients, also dL/dt0, dL/dt1 and dL/dt for each experiment's measurement
 * times. Immutable.
 */
public final class Gradient {
  private final double objective;
  private final String method;
  private final Map<String, Double> byName;
  private final double[] values;
  private final Map<String, Double> timeGradient;
  private final long nfeForward;
  private final long nfeBackward;
  private final long stepsForward;
  private final long jacobiansForward;
  private final long luForward;

  Gradient(Model model, GradientProblem problem, GradientResult r, boolean wrtTimes) {
    this.objective = r.objective;
    this.method = r.method;
    Map<String, Double> g = new LinkedHashMap<>();
    List<String> names = model.paramComponentNames();
    this.values = new double[names.size()];
    int k = 0;
    for (OdeSystem.ParamInfo info : model.system().params()) {
      for (int i = 0; i < info.var().shape().size(); i++) {
        values[k] = r.gradient[info.var().offset() + i];
        g.put(names.get(k), values[k]);
        k++;
      }
    }
    this.byName = Collections.unmodifiableMap(g);
    Map<String, Double> t = new LinkedHashMap<>();
    if (wrtTimes) {
      t.put("t0", r.dt0);
      t.put("t1", r.dt1);
      for (int e = 0; e < problem.experiments.size(); e++) {
        GradientProblem.Experiment ex = problem.experiments.get(e);
        double[] dt = r.timeGradients.get(e);
        for (int j = 0; j < dt.length; j++) t.put((ex.id.isEmpty() ? "" : ex.id + ":") + "time[" + (j + 1) + "]", dt[j]);
      }
    }
    this.timeGradient = Collections.unmodifiableMap(t);
    this.nfeForward = r.nfeForward;
    this.nfeBackward = r.nfeBackward;
    this.stepsForward = r.forwardWork.steps;
    this.jacobiansForward = r.forwardWork.jacobians;
    this.luForward = r.forwardWork.lu;
  }

  /** The objective's value. */
  public double objective() {
    return objective;
  }

  /** The method that computed it ({@code auto} resolves to the one it chose). */
  public String method() {
    return method;
  }

  /** dL/dp for every param component ({@code k}, {@code W[2,1]}), in the model's order. */
  public Map<String, Double> byName() {
    return byName;
  }

  /** The same derivatives as an array, in the model's order of param components. */
  public double[] values() {
    return values.clone();
  }

  /**
   * dL/dp of one param component.
   *
   * @throws UnknownNameException when the model has no such param component
   */
  public double get(String component) {
    Double v = byName.get(component.replace(" ", ""));
    if (v == null) {
      List<String> names = List.copyOf(byName.keySet());
      String closest = dev.odec.sema.Suggest.closest(component, names);
      throw new UnknownNameException("unknown param '" + component + "'" + dev.odec.sema.Suggest.hint(component, names)
          + "; the gradient has " + String.join(", ", names), component, closest);
    }
    return v;
  }

  /**
   * With time gradients: dL/dt0 ({@code t0}), dL/dt1 ({@code t1}) and dL/dt_k for each
   * experiment's k-th distinct measurement time ({@code time[k]}, or {@code ID:time[k]}), in that
   * order; empty otherwise.
   */
  public Map<String, Double> timeGradient() {
    return timeGradient;
  }

  /** Right-hand-side evaluations of the forward solves. */
  public long nfeForward() {
    return nfeForward;
  }

  /** Evaluations of the backward (adjoint) solves. */
  public long nfeBackward() {
    return nfeBackward;
  }

  /** Accepted steps of the forward solves. */
  public long stepsForward() {
    return stepsForward;
  }

  /** Jacobian evaluations of the forward solves (implicit solvers only). */
  public long jacobiansForward() {
    return jacobiansForward;
  }

  /** LU factorisations of the forward solves' iteration matrices (implicit solvers only). */
  public long luForward() {
    return luForward;
  }
}
