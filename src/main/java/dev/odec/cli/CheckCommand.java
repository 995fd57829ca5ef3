package dev.odec.cli;

import dev.odec.codegen.interp.Interpreter;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.CompiledModel;
import dev.odec.runtime.Parameters;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec check MODEL.ode}: parse and check, print a one-line summary. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Parse and check a model; print a summary.")
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    OdeSystem s = model.system(spec.commandLine().getErr());
    // the values a run starts from: a non-finite default is an error at its declaration now,
    // not at the first run
    double[] p = Parameters.build(s, Map.of(), 1);
    new CompiledModel(s, new Interpreter()).initialState(p);
    spec.commandLine().getOut().println(summary(s));
    return ExitCode.OK;
  }

  static String summary(OdeSystem s) {
    return s.name() + ": " + count(s.states().size(), "state") + ", " + count(s.params().size(), "param") + ", "
        + count(s.consts().size(), "const") + ", " + count(s.observables().size(), "observable") + ", "
        + count(s.rates().size(), "rate");
  }

  private static String count(int n, String what) {
    return n + " " + what + "s"; // always plural, as in CLI.md: "1 states" parses like "2 states"
  }
}
