package example;

import dev.odec.api.Compilation;
import dev.odec.api.Data;
import dev.odec.api.Diagnostic;
import dev.odec.api.FitResult;
import dev.odec.api.FitSettings;
import dev.odec.api.Gradient;
import dev.odec.api.GradientSettings;
import dev.odec.api.Model;
import dev.odec.api.Param;
import dev.odec.api.ParameterValues;
import dev.odec.api.SolverSettings;
import dev.odec.api.Trajectory;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * odec from Java: compile the Lotka–Volterra model of examples/fit once, solve it, compute the
 * likelihood of its data with the gradient, and fit its params.
 *
 * <p>Argument: the examples/ folder (default: the parent of the working directory).
 */
public final class OdecExample {
  public static void main(String[] args) {
    Path examples = Path.of(args.length > 0 ? args[0] : "..");

    // compile: diagnostics come back as values
    Compilation c = dev.odec.api.Odec.compile(examples.resolve("fit/lotka_volterra.ode"));
    if (!c.ok()) {
      for (Diagnostic d : c.diagnostics()) System.err.println(d.render());
      return;
    }
    Model model = c.model();
    System.out.println("model " + model.name() + ": " + model.states().size() + " states, params "
        + model.params().stream().map(Param::name).collect(Collectors.joining(", ")));

    // solve with two params changed (checked against the model's names and bounds), tightly
    ParameterValues p = model.parameters();
    ParameterValues q = p.with("alpha", 1.5).with("delta", 3.0);
    SolverSettings tight = SolverSettings.defaults().solver("dop853").rtol(1e-10).atol(1e-12);
    Trajectory tr = model.solve(q, 0, new double[] {5, 10}, tight);
    double prey = tr.state("prey")[1];
    double pred = tr.state("pred")[1];
    System.out.printf("t = 10: prey = %.6f, pred = %.6f%n", prey, pred);
    // Lotka–Volterra conserves V = delta x - gamma ln x + beta y - alpha ln y along every solution
    double v0 = firstIntegral(q, 1.0, 1.0);
    double v10 = firstIntegral(q, prey, pred);
    System.out.printf("first integral: V(0) = %.12f, V(10) = %.12f%n", v0, v10);

    // the negative log-likelihood of the data at the nominal values, and its gradient (adjoint method)
    Data data = model.loadData(examples.resolve("fit/lv_data.csv"));
    GradientSettings grad = GradientSettings.defaults().method("adjoint").solver(tight);
    Gradient g = model.gradient(data, p, grad);
    double h = 1e-4;
    double difference = (model.objective(data, p.with("alpha", 1 + h), grad)
        - model.objective(data, p.with("alpha", 1 - h), grad)) / (2 * h);
    System.out.printf("objective = %.10f, dL/dalpha = %.8f (central difference %.8f)%n", g.objective(),
        g.get("alpha"), difference);

    // fit the params: three starts, standard errors from the Fisher information
    FitResult fit = model.fit(data, p, FitSettings.defaults().starts(3)
        .solver(SolverSettings.defaults().rtol(1e-9).atol(1e-10)), w -> System.err.println("warning: " + w));
    System.out.printf("fit: objective = %.10f (%s, %d starts)%n", fit.objective(), fit.optimizer(), fit.starts().size());
    for (FitResult.Estimate e : fit.estimates()) {
      System.out.printf("  %-6s = %.6f +- %.6f%n", e.name(), e.value(), e.standardError());
    }
  }

  private static double firstIntegral(ParameterValues p, double x, double y) {
    return p.get("delta") * x - p.get("gamma") * Math.log(x) + p.get("beta") * y - p.get("alpha") * Math.log(y);
  }
}
