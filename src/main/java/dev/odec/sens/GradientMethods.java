package dev.odec.sens;

import dev.odec.runtime.InputError;
import java.util.List;

/** The methods of {@code odec grad --method}, and the choice {@code auto} makes. */
public final class GradientMethods {
  private GradientMethods() {}

  public static final List<String> NAMES = List.of("adjoint", "checkpoint", "forward", "discrete", "auto");

  /**
   * Below this many parameter components forward sensitivities are cheaper than an adjoint
   * (their cost grows with the number of parameters; an adjoint's does not). Measured on the
   * neural-ODE benchmark (docs/BENCHMARKS.md): forward wins at K = 42, the adjoint at K = 102.
   */
  public static final int FORWARD_LIMIT = 50;

  public static GradientMethod byName(String name, int paramComponents, boolean withTimes) {
    return switch (name) {
      case "adjoint", "backsolve" -> new BacksolveAdjoint();
      case "checkpoint" -> new CheckpointedAdjoint();
      case "forward" -> new ForwardSensitivity(withTimes);
      case "discrete" -> new DiscreteAdjoint();
      case "auto" -> paramComponents < FORWARD_LIMIT ? new ForwardSensitivity(withTimes) : new CheckpointedAdjoint();
      default -> throw InputError.usage("unknown gradient method '" + name + "'"
          + dev.odec.sema.Suggest.hint(name, NAMES) + "; choose one of " + String.join(", ", NAMES));
    };
  }
}
