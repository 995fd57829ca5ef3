package dev.odec.cli;

import dev.odec.infer.Flow;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.solve.Method;
import dev.odec.solve.SolverFailure;
import dev.odec.solve.SolverOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  @CommandLine.Option(names = "--out", paramLabel = "FILE.csv", description = "Write the CSV here instead of stdout.")
  Path out;

  @CommandLine.Option(names = "--force", description = "Allow --out to replace an existing file.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    flowOptions.checkTimes();
    if (count < 1) throw InputError.usage("--n must be at least 1, got " + count);
    Flow.TraceKind kind = flowOptions.traceKind();
    Method method = FlowOptions.method(solve.method(), "generate");
    SolverOptions options = solve.options(method);
    OutputFiles.checkWritable(out, force, model.model);
    OdeSystem sys = model.system(err);
    Flow flow = Flow.of(sys, kind, "generate");
    var backend = FlowOptions.backend(solve.backend, flow, method, count, "generate");
    if (count > Integer.MAX_VALUE - 8) throw InputError.usage("--n " + count + " is too many points for one run");
    double[] p = Parameters.build(sys, solve.overrides(), solve.seed);
    SolverFailure[] failures = new SolverFailure[(int) count];
    double[][] rows = flow.generate((int) count, flowOptions.t0, flowOptions.t1, p, backend, method, options,
        solve.seed, failures);
    List<String> header = new ArrayList<>(flow.columns());
    header.add("logp");
    StringBuilder csv = new StringBuilder(Csv.header(header)).append('\n');
    for (double[] row : rows) {
      for (int i = 0; i < row.length; i++) csv.append(i == 0 ? "" : ",").append(Numbers.format(row[i]));
      csv.append('\n');
    }
    OutputFiles.emit(out, csv.toString(), spec.commandLine().getOut());
    return FlowOptions.report(failures, sys, err, "point");
  }
}
