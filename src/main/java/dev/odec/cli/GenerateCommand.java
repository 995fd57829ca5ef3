package dev.odec.cli;

import dev.odec.runtime.InputError;
import dev.odec.solve.SolverFailure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec generate}: samples pushed through a model's flow. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw N points from the flow's base distribution at t0 and push them through the flow to T. Prints "
        + "the points and their logp.")
final class GenerateCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Mixin FlowOptions flowOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--n", required = true, paramLabel = "N", description = "How many points.")
  long count;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (count < 1) throw InputError.usage("--n must be at least 1, got " + count);
    FlowOptions.Setup s = flowOptions.setup(model, solve, err, "generate", null);
    var backend = FlowOptions.backend(solve.backend, s.flow(), s.method(), count, "generate");
    if (count > Integer.MAX_VALUE - 8) throw InputError.usage("--n " + count + " is too many points for one run");
    SolverFailure[] failures = new SolverFailure[(int) count];
    double[][] rows = s.flow().generate((int) count, flowOptions.t0, flowOptions.t1, s.p(), backend, s.method(),
        s.options(), solve.seed, failures);
    List<String> header = new ArrayList<>(s.flow().columns());
    header.add("logp");
    StringBuilder csv = new StringBuilder(Csv.header(header)).append('\n');
    for (double[] row : rows) {
      for (int i = 0; i < row.length; i++) csv.append(i == 0 ? "" : ",").append(Numbers.format(row[i]));
      csv.append('\n');
    }
    double[] logp = new double[rows.length];
    for (int m = 0; m < rows.length; m++) logp[m] = rows[m][rows[m].length - 1];
    flowOptions.emit(csv.toString(), spec.commandLine().getOut(), s, rows, logp);
    return FlowOptions.report(failures, s.sys(), err, "point");
  }
}
