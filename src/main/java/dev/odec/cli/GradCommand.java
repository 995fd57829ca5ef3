package dev.odec.cli;

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
  @CommandLine.Mixin DataOptions dataOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--method", paramLabel = "NAME", defaultValue = "auto",
      description = "adjoint (backsolve), checkpoint (interpolating adjoint), forward (sensitivities), discrete (through the solver), auto.")
  String method;

  @CommandLine.Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "Output format.")
  String format;

  @CommandLine.Option(names = "--wrt-times", description = "Also the gradient with respect to t0, t1 and every measurement time.")
  boolean wrtTimes;

  @CommandLine.Option(names = "--out", paramLabel = "FILE", description = "Write the result here instead of stdout.")
  Path out;

  @CommandLine.Option(names = "--force", description = "Allow --out to replace an existing file.")
  boolean force;

  @CommandLine.Option(names = "--repeat", paramLabel = "N", defaultValue = "0",
      description = "Compute N more times after one untimed warm-up; --stats reports the median wall_ms.")
  int repeat;

  @CommandLine.Option(names = "--stats", description = "Print wall_ms, nfe_forward and nfe_backward to stderr.")
  boolean stats;

  @Override
  public Integer call() {
    if (!format.equals("csv") && !format.equals("json")) {
      throw InputError.usage("unknown --format '" + format + "'; choose csv or json");
    }
    PrintWriter err = spec.commandLine().getErr();
    solve.requireJvmBackend("grad");
    if (repeat < 0) throw InputError.usage("--repeat must be 0 or more, got " + repeat);
    solve.stiffByDefault(model.isPetab());
    Method m = solve.method();
    SolverOptions options = solve.options(m);
    OdeSystem sys = model.system(err);
    DataOptions.Loaded in = dataOptions.load(sys, model, err);
    double[] p = Parameters.build(sys, solve.overrides(), solve.seed);
    int paramComponents = 0;
    for (OdeSystem.ParamInfo info : sys.params()) paramComponents += info.var().shape().size();
    GradientMethod gm = GradientMethods.byName(method, paramComponents, wrtTimes);
    GradientModel gmodel = new GradientModel(sys, Backends.byName(solve.backend));
    GradientProblem problem = new GradientProblem(gmodel, in.data(), in.conditions(), p, in.t0(), in.t1(), m, options);
    GradientResult r;
    double[] ms = new double[Math.max(1, repeat)];
    // this thread's CPU time too: on a shared machine it is what the gradient cost, where the
    // wall clock also counts the time other processes held the cores
    double[] cpuMs = new double[ms.length];
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    try {
      com.google.common.base.Stopwatch watch = com.google.common.base.Stopwatch.createStarted();
      long cpu = threads.getCurrentThreadCpuTime();
      r = gm.compute(problem);
      ms[0] = watch.elapsed(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e6;
      cpuMs[0] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
      for (int i = 0; i < repeat; i++) { // the first evaluation above is the untimed warm-up
        watch.reset().start();
        cpu = threads.getCurrentThreadCpuTime();
        r = gm.compute(problem);
        ms[i] = watch.elapsed(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e6;
        cpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
      }
    } catch (SolverFailure e) {
      throw RunCommand.withStateName(e, sys);
    }
    if (stats) {
      err.println("wall_ms: " + String.format(java.util.Locale.ROOT, "%.3f", median(ms)));
      err.println("cpu_ms: " + String.format(java.util.Locale.ROOT, "%.3f", median(cpuMs)));
      err.println("nfe_forward: " + r.nfeForward);
      err.println("nfe_backward: " + r.nfeBackward);
      err.println("steps_forward: " + r.forwardWork.steps);
      err.println("jacobians_forward: " + r.forwardWork.jacobians);
      err.println("lu_forward: " + r.forwardWork.lu);
      err.flush();
    }
    if (dataOptions.map) r.objective += Priors.nll(sys, p, r.gradient);
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
    OutputFiles.checkWritable(this.out, force, model.model);
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
      try {
        OutputFiles.write(this.out, text.toString());
      } catch (java.io.IOException e) {
        throw InputError.usage("cannot write " + this.out + ": " + e.getMessage());
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

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int k = s.length;
    return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
  }
}
