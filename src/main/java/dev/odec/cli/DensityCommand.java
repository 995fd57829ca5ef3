package dev.odec.cli;

import dev.odec.infer.PointsFile;
import dev.odec.solve.SolverFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec density}: the log-density of points under a model's flow. */
@Command(name = "density", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The log-density at T of each point of POINTS.csv under the model's flow (integrated back to t0 with "
        + "the trace term). Prints the input columns plus logp.")
final class DensityCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Mixin FlowOptions flowOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--points", required = true, paramLabel = "POINTS.csv",
      description = "One point a row, columns named like the flow state's components (x[1],x[2]).")
  Path points;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    FlowOptions.Setup s = flowOptions.setup(model, solve, err, "density", points);
    PointsFile pts = PointsFile.read(points, s.sys().flows().get(0).state(), s.flow().columns());
    SolverFailure[] failures = new SolverFailure[pts.points().length];
    var backend = FlowOptions.backend(solve.backend, s.flow(), s.method(), pts.points().length, "density");
    double[] logp = s.flow().density(pts.points(), flowOptions.t0, flowOptions.t1, s.p(), backend, s.method(),
        s.options(), solve.seed, failures);
    // a points file that already has a logp column (as generate writes) gets it replaced
    int old = pts.header().indexOf("logp");
    List<String> header = new ArrayList<>(pts.header());
    if (old >= 0) header.remove(old);
    header.add("logp");
    StringBuilder csv = new StringBuilder(Csv.header(header)).append('\n');
    for (int r = 0; r < logp.length; r++) {
      List<String> cells = pts.cells().get(r);
      for (int c = 0; c < cells.size(); c++) if (c != old) csv.append(Csv.field(cells.get(c))).append(',');
      csv.append(Numbers.format(logp[r])).append('\n');
    }
    flowOptions.emit(csv.toString(), spec.commandLine().getOut(), s, pts.points(), logp);
    return FlowOptions.report(failures, s.sys(), err, "point");
  }
}
