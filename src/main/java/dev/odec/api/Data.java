package dev.odec.api;

import dev.odec.sens.Measurements;
import java.util.List;

/**
 * Measurements read for one model ({@link Model#loadData}): the data file's experiments, with the
 * conditions file's overrides per experiment when one was given, over an observation window
 * [t0, t1]. Immutable, and shared freely between threads.
 */
public final class Data {
  private final Model model;
  private final Measurements measurements;

  Data(Model model, Measurements measurements) {
    this.model = model;
    this.measurements = measurements;
  }

  /** The experiments' ids, in the order of the file (a single {@code ""} when the file has no experiment column). */
  public List<String> experiments() {
    return measurements.data().experiments();
  }

  /** The number of observations (data points, missing values not counted) of one experiment. */
  public int observationCount(String experiment) {
    return measurements.data().observations(experiment).size();
  }

  /** The start of the window: where every experiment's solve starts. */
  public double t0() {
    return measurements.t0();
  }

  /** The end of the window. */
  public double t1() {
    return measurements.t1();
  }

  /** The data file's name as given. */
  public String fileName() {
    return measurements.data().fileName();
  }

  Measurements measurements() {
    return measurements;
  }

  void checkModel(Model m) {
    if (m.system() != model.system()) {
      throw Errors.usage("this data was read for model '" + model.name() + "', not for '" + m.name() + "'");
    }
  }
}
