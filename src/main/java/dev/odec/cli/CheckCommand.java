package dev.odec.cli;

import dev.odec.api.Model;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec check MODEL.ode}: parse and check, print a one-line summary (a client of the Java API). */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Parse and check a model; print a summary.")
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // interp: the initial values need no bytecode. A non-finite default or initial value is an
    // error at its declaration now, not at the first run (the params' defaults are checked when
    // the model is made)
    Model m = model.api(spec.commandLine().getErr(), "interp");
    m.initialState(m.parameters());
    spec.commandLine().getOut().println(summary(m));
    return ExitCode.OK;
  }

  /**
   * The counts are of scalar components (a {@code state z: real[3]} is 3 states, a {@code param W:
   * real[8, 2]} 16 params, an observe of a 3-vector 3 observables): the size of the system solved
   * and of the parameter vector estimated. Rates are counted by statement.
   */
  static String summary(Model m) {
    return summary(m.name(), m.states().stream().mapToInt(v -> v.components().size()).sum(),
        m.params().stream().mapToInt(v -> v.components().size()).sum(),
        m.consts().stream().mapToInt(v -> v.components().size()).sum(),
        m.observables().stream().mapToInt(o -> o.components().size()).sum(), m.rates().size());
  }

  /** The same counts from the checked system (for {@code compile --emit ir}). */
  static String summary(dev.odec.ir.OdeSystem s) {
    int observables = 0;
    for (dev.odec.ir.OdeSystem.Observable o : s.observables()) {
      int size = 1;
      for (var a : o.args()) size = Math.max(size, a.size());
      observables += size;
    }
    return summary(s.name(), s.stateSize(), s.params().stream().mapToInt(i -> i.var().shape().size()).sum(),
        s.consts().stream().mapToInt(v -> v.shape().size()).sum(), observables, s.rates().size());
  }

  private static String summary(String name, int states, int params, int consts, int observables, int rates) {
    return name + ": " + count(states, "state") + ", " + count(params, "param") + ", " + count(consts, "const") + ", "
        + count(observables, "observable") + ", " + count(rates, "rate");
  }

  private static String count(int n, String what) {
    return n + " " + what + "s"; // always plural, as in CLI.md: "1 states" parses like "2 states"
  }
}
