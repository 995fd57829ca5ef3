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

  static String summary(Model m) {
    return summary(m.name(), m.states().size(), m.params().size(), m.consts().size(), m.observables().size(),
        m.rates().size());
  }

  static String summary(dev.odec.ir.OdeSystem s) {
    return summary(s.name(), s.states().size(), s.params().size(), s.consts().size(), s.observables().size(),
        s.rates().size());
  }

  private static String summary(String name, int states, int params, int consts, int observables, int rates) {
    return name + ": " + count(states, "state") + ", " + count(params, "param") + ", " + count(consts, "const") + ", "
        + count(observables, "observable") + ", " + count(rates, "rate");
  }

  private static String count(int n, String what) {
    return n + " " + what + "s"; // always plural, as in CLI.md: "1 states" parses like "2 states"
  }
}
