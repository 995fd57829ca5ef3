package dev.odec.cli;

import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.infer.Priors;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Backends;
import dev.odec.runtime.InputError;
import dev.odec.runtime.Parameters;
import dev.odec.sens.GradientMethod;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
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

/** {@code odec grad}: the objective (negative log-likelihood) and its gradient. */
@Command(name = "grad", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Compute the negative log-likelihood of data and its gradient with respect to every param.")
final class GradCommand implements Callable<Integer> {
  @CommandLine.Mixin ModelOption model;
  @CommandLine.Mixin SolverOptionsMixin solve;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--data", required = true, paramLabel = "DATA.csv", description = "The data file.")
  Path data;

  @CommandLine.Option(names = "--conditions", paramLabel = "COND.csv", description = "Per-experiment overrides.")
  Path conditions;

  @CommandLine.Option(names = "--method", paramLabel = "NAME", defaultValue = "auto",
      description = "adjoint (backsolve), checkpoint (interpolating adjoint), forward (sensitivities), discrete (through the solver), auto.")
  String method;

  @CommandLine.Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "Output format.")
  String format;

  @CommandLine.Option(names = "--map", description = "Add the negative log priors (maximum a posteriori objective).")
  boolean map;

  @CommandLine.Option(names = "--wrt-times", description = "Also the gradient with respect to t0, t1 and every measurement time.")
  boolean wrtTimes;

  @CommandLine.Option(names = "--t0", paramLabel = "T0", defaultValue = "0", description = "Start time (default 0).")
  double t0;

  @CommandLine.Option(names = "--out", paramLabel = "FILE", description = "Write the result here instead of stdout.")
  Path out;

  @CommandLine.Option(names = "--force", description = "Allow --out to replace an existing file.")
  boolean force;

  @CommandLine.Option(names = "--t1", paramLabel = "T", description = "End of the window (default: the last data time).")
  Double t1;

  @Override
  public Integer call() {
    if (!format.equals("csv") && !format.equals("json")) {
      throw InputError.usage("unknown --format '" + format + "'; choose csv or json");
    }
    PrintWriter err = spec.commandLine().getErr();
    Method m = solve.method();
    SolverOptions options = solve.options(m);
    OdeSystem sys = model.system(err);
    // every input of the run is protected from --out, checked now and again when writing
    List<Path> inputs = new ArrayList<>(model.inputs());
    inputs.add(data);
    if (conditions != null) inputs.add(conditions);
    OutputFiles.check(this.out, force, inputs);
    if (sys.observables().isEmpty() && sys.rates().isEmpty()) {
      throw InputError.usage("model '" + sys.name() + "' has no observe or rate statements, so there is nothing to fit to data");
    }
    DataSet ds = DataSet.read(data, GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
    Conditions cond = null;
    if (conditions != null) {
      List<String> names = sys.pVars().stream().map(OdeSystem.Var::name).toList();
      cond = Conditions.read(conditions, names);
      cond.checkCovers(ds);
    }
    double end = t1 != null ? t1 : ds.maxTime();
    if (t1 != null && !(end > t0)) {
      throw InputError.usage("--t1 " + Numbers.format(end) + " must come after --t0 " + Numbers.format(t0));
    }
    if (ds.minTime() < t0) ds.checkWithin(t0, Math.max(end, t0)); // data before the start: name the row
    if (!(end > t0)) {
      throw InputError.usage("the window [" + Numbers.format(t0) + ", " + Numbers.format(end)
          + "] is empty: give --t1 after --t0 (the data's last time is " + Numbers.format(ds.maxTime()) + ")");
    }
    ds.checkWithin(t0, end);
    List<String> columnDists = new ArrayList<>();
    for (OdeSystem.Observable o : sys.observables()) {
      int size = 1;
      for (var a : o.args()) size = Math.max(size, a.size());
      for (int k = 0; k < size; k++) columnDists.add(o.dist());
    }
    ds.checkSupport(columnDists);
    double[] p = Parameters.build(sys, Parameters.parseAssignments(solve.set, "--set"), solve.seed);
    int paramComponents = 0;
    for (OdeSystem.ParamInfo info : sys.params()) paramComponents += info.var().shape().size();
    GradientMethod gm = GradientMethods.byName(method, paramComponents, wrtTimes);
    GradientModel gmodel = new GradientModel(sys, Backends.byName(solve.backend));
    GradientProblem problem = new GradientProblem(gmodel, ds, cond, p, t0, end, m, options);
    GradientResult r;
    try {
      r = gm.compute(problem);
    } catch (SolverFailure e) {
      throw RunCommand.withStateName(e, sys);
    }
    if (map) r.objective += Priors.nll(sys, p, r.gradient);
    if (method.equals("auto")) err.println("odec: method auto used " + r.method);

    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (OdeSystem.ParamInfo info : sys.params()) {
      List<String> comps = info.var().componentNames();
      for (int i = 0; i < comps.size(); i++) {
        names.add(comps.get(i));
        values.add(r.gradient[info.var().offset() + i]);
      }
    }
    List<String> timeNames = new ArrayList<>();
    List<Double> timeValues = new ArrayList<>();
    if (wrtTimes) {
      timeNames.add("t0");
      timeValues.add(r.dt0);
      timeNames.add("t1");
      timeValues.add(r.dt1);
      for (int e = 0; e < problem.experiments.size(); e++) {
        GradientProblem.Experiment ex = problem.experiments.get(e);
        double[] g = r.timeGradients.get(e);
        for (int k = 0; k < g.length; k++) {
          timeNames.add((ex.id.isEmpty() ? "" : ex.id + ":") + "time[" + (k + 1) + "]");
          timeValues.add(g[k]);
        }
      }
    }
    java.io.StringWriter text = new java.io.StringWriter();
    PrintWriter out = new PrintWriter(text);
    if (format.equals("csv")) {
      out.println("name,value");
      out.println("objective," + Numbers.format(r.objective));
      for (int i = 0; i < names.size(); i++) out.println(Csv.field(names.get(i)) + "," + Numbers.format(values.get(i)));
      for (int i = 0; i < timeNames.size(); i++) {
        out.println(Csv.field(timeNames.get(i)) + "," + Numbers.format(timeValues.get(i)));
      }
    } else {
      StringBuilder sb = new StringBuilder("{\"objective\": ").append(json(r.objective)).append(", \"gradient\": {");
      for (int i = 0; i < names.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(Json.string(names.get(i))).append(": ").append(json(values.get(i)));
      }
      sb.append("}, \"method\": ").append(Json.string(r.method));
      sb.append(", \"nfe_forward\": ").append(r.nfeForward).append(", \"nfe_backward\": ").append(r.nfeBackward);
      if (wrtTimes) {
        sb.append(", \"time_gradient\": {");
        for (int i = 0; i < timeNames.size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(Json.string(timeNames.get(i))).append(": ").append(json(timeValues.get(i)));
        }
        sb.append('}');
      }
      out.println(sb.append('}'));
    }
    out.flush();
    if (this.out != null) {
      try (OutputFiles.Output o = OutputFiles.open(this.out, force, inputs)) {
        try {
          o.writer().write(text.toString());
        } catch (java.io.IOException e) {
          throw OutputFiles.cannotWrite(this.out, e);
        }
        o.commit();
      }
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return ExitCode.OK;
  }

  private static String json(double v) {
    return Double.isFinite(v) ? Numbers.format(v) : "null";
  }
}
