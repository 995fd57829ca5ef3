package dev.odec.cli;

import com.google.common.base.Stopwatch;
import dev.odec.api.Data;
import dev.odec.api.Gradient;
import dev.odec.api.GradientSettings;
import dev.odec.api.Model;
import dev.odec.api.ParameterValues;
import dev.odec.runtime.InputError;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code odec grad}: the objective (negative log-likelihood) and its gradient (a client of the Java API). */
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
      description = "Compute N more times after one untimed warm-up; --stats reports the median wall_ms and cpu_ms.")
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
    GradientSettings settings = GradientSettings.defaults().solver(solve.settings()).method(method)
        .map(dataOptions.map).wrtTimes(wrtTimes);
    Model m = model.api(err, solve.backend);
    // every input of the run is protected from --out, checked now and again when writing
    List<Path> inputs = dataOptions.inputs(model);
    OutputFiles.check(this.out, force, inputs);
    Data data = dataOptions.load(m, model, err);
    ParameterValues params = m.parameters(solve.overrides(), solve.seed, true);
    for (String w : params.warnings()) err.println("odec: warning: " + w);
    double[] ms = new double[Math.max(1, repeat)];
    // this thread's CPU time too: on a shared machine it is what the gradient cost, where the
    // wall clock also counts the time other processes held the cores
    double[] cpuMs = new double[ms.length];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Stopwatch watch = Stopwatch.createStarted();
    long cpu = threads.getCurrentThreadCpuTime();
    Gradient r = m.gradient(data, params, settings);
    ms[0] = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
    cpuMs[0] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
    for (int i = 0; i < repeat; i++) { // the first evaluation above is the untimed warm-up
      watch.reset().start();
      cpu = threads.getCurrentThreadCpuTime();
      r = m.gradient(data, params, settings);
      ms[i] = watch.elapsed(TimeUnit.NANOSECONDS) / 1e6;
      cpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
    }
    if (stats) {
      err.println("wall_ms: " + String.format(Locale.ROOT, "%.3f", median(ms)));
      err.println("cpu_ms: " + String.format(Locale.ROOT, "%.3f", median(cpuMs)));
      err.println("nfe_forward: " + r.nfeForward());
      err.println("nfe_backward: " + r.nfeBackward());
      err.println("steps_forward: " + r.stepsForward());
      err.println("jacobians_forward: " + r.jacobiansForward());
      err.println("lu_forward: " + r.luForward());
      err.flush();
    }
    if (method.equals("auto")) err.println("odec: method auto used " + r.method());

    List<String> names = new ArrayList<>(r.byName().keySet());
    List<Double> values = new ArrayList<>(r.byName().values());
    List<String> timeNames = new ArrayList<>(r.timeGradient().keySet());
    List<Double> timeValues = new ArrayList<>(r.timeGradient().values());
    java.io.StringWriter text = new java.io.StringWriter();
    PrintWriter out = new PrintWriter(text);
    if (format.equals("csv")) {
      out.println("name,value");
      out.println("objective," + Numbers.format(r.objective()));
      for (int i = 0; i < names.size(); i++) out.println(Csv.field(names.get(i)) + "," + Numbers.format(values.get(i)));
      for (int i = 0; i < timeNames.size(); i++) {
        out.println(Csv.field(timeNames.get(i)) + "," + Numbers.format(timeValues.get(i)));
      }
    } else {
      StringBuilder sb = new StringBuilder("{\"objective\": ").append(json(r.objective())).append(", \"gradient\": {");
      for (int i = 0; i < names.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(Json.string(names.get(i))).append(": ").append(json(values.get(i)));
      }
      sb.append("}, \"method\": ").append(Json.string(r.method()));
      sb.append(", \"nfe_forward\": ").append(r.nfeForward()).append(", \"nfe_backward\": ").append(r.nfeBackward());
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
    OutputFiles.emit(this.out, force, inputs, text.toString(), spec.commandLine().getOut());
    return ExitCode.OK;
  }

  private static String json(double v) {
    return Double.isFinite(v) ? Numbers.format(v) : "null";
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int k = s.length;
    return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
  }
}
