package dev.odec.api;

import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for every param and const of one {@link Model}: the nominal values with overrides applied,
 * as {@code odec run --set NAME=VALUE} gives them. Immutable; {@link #with(String, double)} returns
 * new values. An override sets a param or const ({@code k}), all components of a vector or matrix
 * one ({@code z}), or one component ({@code W[2,1]}); values the model computes from others
 * ({@code const K2 = 2*K}) follow the overrides.
 *
 * <p>Overrides are checked with the command line's words: an unknown name throws
 * {@link UnknownNameException} (with the closest name), a state or a structural const
 * {@link InvalidInputException}, and so do a value of zero or below for a param of scale
 * {@code log} or {@code log10} and (unless the values were made with
 * {@link Model#parameters(Map, long, boolean)}) a value outside the param's bounds.
 */
public final class ParameterValues {
  private final Model model;
  private final Map<String, Double> overrides;
  private final long seed;
  private final boolean allowOutsideBounds;
  private final double[] p;
  private final List<String> warnings;

  ParameterValues(Model model, Map<String, Double> overrides, long seed, boolean allowOutsideBounds) {
    OdeSystem sys = model.system();
    this.model = model;
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    this.seed = seed;
    this.allowOutsideBounds = allowOutsideBounds;
    this.p = Errors.guard(sys, () -> Parameters.build(sys, this.overrides, seed));
    List<String> outside = Parameters.outsideBounds(sys, this.overrides);
    if (!outside.isEmpty() && !allowOutsideBounds) throw Errors.usage(outside.get(0));
    this.warnings = List.copyOf(outside);
  }

  /** The model these values are for. */
  public Model model() {
    return model;
  }

  /** The overrides, in the order given (a later one for the same name replaces the earlier). */
  public Map<String, Double> overrides() {
    return overrides;
  }

  /** The seed of the draws from priors that start params without a value (1 by default). */
  public long seed() {
    return seed;
  }

  /**
   * These values with one more override (checked: see the class comment).
   *
   * @throws UnknownNameException when the model has no param or const of that name
   * @throws InvalidInputException when the value is not allowed
   */
  public ParameterValues with(String name, double value) {
    return with(Map.of(name, value));
  }

  /** These values with more overrides, in the map's order (checked: see the class comment). */
  public ParameterValues with(Map<String, Double> more) {
    Map<String, Double> all = new LinkedHashMap<>(overrides);
    for (Map.Entry<String, Double> e : more.entrySet()) {
      all.remove(e.getKey());
      all.put(e.getKey(), e.getValue());
    }
    return new ParameterValues(model, all, seed, allowOutsideBounds);
  }

  /**
   * The value of a scalar param or const, or of one component ({@code W[2,1]}).
   *
   * @throws UnknownNameException when the model has no such param, const or component
   * @throws InvalidInputException for a vector or matrix named whole (use {@link #values(String)})
   */
  public double get(String name) {
    for (OdeSystem.Var v : model.system().pVars()) {
      List<String> comps = v.componentNames();
      int i = comps.indexOf(name.replace(" ", ""));
      if (i >= 0) return p[v.offset() + i];
      if (v.name().equals(name)) {
        throw Errors.usage("'" + name + "' has " + comps.size() + " components: read one (" + comps.get(0)
            + ") or all with values(\"" + name + "\")");
      }
    }
    throw unknown(name);
  }

  /**
   * Every component of a param or const, row-major.
   *
   * @throws UnknownNameException when the model has no such param or const
   */
  public double[] values(String name) {
    for (OdeSystem.Var v : model.system().pVars()) {
      if (v.name().equals(name)) {
        double[] out = new double[v.shape().size()];
        System.arraycopy(p, v.offset(), out, 0, out.length);
        return out;
      }
    }
    throw unknown(name);
  }

  /** Every param component, then every const component, with its value, in the model's order. */
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (OdeSystem.Var v : model.system().pVars()) {
      List<String> comps = v.componentNames();
      for (int i = 0; i < comps.size(); i++) out.put(comps.get(i), p[v.offset() + i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * What is unusual about these values though allowed: overrides outside a param's bounds, when
   * the values were made with {@code allowOutsideBounds} (the command line prints them as warnings).
   */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "ParameterValues" + asMap();
  }

  /** The full parameter vector (a copy: solvers write the modes of switches into it). */
  double[] vector() {
    return p.clone();
  }

  private UnknownNameException unknown(String name) {
    List<String> names = new ArrayList<>();
    for (OdeSystem.Var v : model.system().pVars()) names.add(v.name());
    String base = name.contains("[") ? name.substring(0, name.indexOf('[')) : name;
    String closest = Suggest.closest(base, names);
    return new UnknownNameException("unknown param or const '" + name + "'" + Suggest.hint(base, names)
        + (names.isEmpty() ? "" : "; the model has " + String.join(", ", names)), name, closest);
  }
}
