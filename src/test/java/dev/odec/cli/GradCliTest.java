package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDir;

/** `odec grad` and `odec compile --emit jacobian|adjoint` end to end. */
class GradCliTest {
  private static final String R = "src/test/resources/grad/";

  static Map<String, Double> csv(String out) {
    Map<String, Double> m = new HashMap<>();
    List<String> lines = out.lines().toList();
    assertEquals("name,value", lines.get(0));
    for (String l : lines.subList(1, lines.size())) {
      int comma = l.lastIndexOf(',');
      m.put(l.substring(0, comma).replace("\"", ""), Double.parseDouble(l.substring(comma + 1)));
    }
    return m;
  }

  @Test
  void csvOutputHasTheObjectiveFirstThenEveryParam() {
    CliTest.Result r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", R + "lv_data.csv",
        "--rtol", "1e-10", "--atol", "1e-12", "--method", "adjoint");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(1).startsWith("objective,"));
    assertEquals(List.of("alpha", "beta", "delta", "gamma", "sigma"),
        lines.subList(2, 7).stream().map(l -> l.split(",")[0]).toList());
    Map<String, Double> g = csv(r.out());
    assertEquals(-8.375457297208843, g.get("objective"), 1e-7, "the objective scipy computes");
    assertEquals(-89.4121995, g.get("alpha"), 1e-5);
  }

  @Test
  void everyMethodAgreesFromTheCommandLine() {
    Map<String, Double> ref = null;
    for (String m : List.of("adjoint", "checkpoint", "forward", "discrete", "auto")) {
      CliTest.Result r = CliTest.run("grad", R + "enzyme_experiments.ode", "--data", R + "enzyme_data.csv",
          "--conditions", R + "enzyme_conditions.csv", "--method", m, "--rtol", "1e-10", "--atol", "1e-10");
      assertEquals(0, r.code(), m + ": " + r.err());
      Map<String, Double> g = csv(r.out());
      if (ref == null) ref = g;
      for (String k : ref.keySet()) assertEquals(ref.get(k), g.get(k), 1e-5 * Math.abs(ref.get(k)), m + " " + k);
    }
  }

  @Test
  void jsonWithMatrixComponentsAndWork() {
    CliTest.Result r = CliTest.run("grad", R + "spiral_nn.ode", "--data", R + "spiral_data.csv", "--format", "json",
        "--method", "adjoint");
    assertEquals(0, r.code(), r.err());
    String j = r.out().strip();
    assertTrue(j.startsWith("{\"objective\": "), j);
    assertTrue(j.contains("\"W1[24,2]\": ") && j.contains("\"A[2,2]\": "), j);
    assertTrue(j.contains("\"method\": \"adjoint\"") && j.contains("\"nfe_forward\": ") && j.contains("\"nfe_backward\": "), j);
  }

  @Test
  void autoSaysWhichMethodItUsed() {
    CliTest.Result few = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", R + "lv_data.csv");
    assertEquals(0, few.code(), few.err());
    assertTrue(few.err().contains("auto used forward"), few.err());
    CliTest.Result many = CliTest.run("grad", R + "spiral_nn.ode", "--data", R + "spiral_data.csv");
    assertTrue(many.err().contains("auto used checkpoint"), many.err());
  }

  @Test
  void mapAddsThePriors() {
    String[] base = {"grad", R + "spiral_nn.ode", "--data", R + "spiral_data.csv", "--method", "adjoint",
        "--set", "W1[1,1]=0.3"};
    CliTest.Result ml = CliTest.run(base);
    String[] withMap = java.util.Arrays.copyOf(base, base.length + 1);
    withMap[base.length] = "--map";
    CliTest.Result map = CliTest.run(withMap);
    assertEquals(0, map.code(), map.err());
    assertTrue(ml.out().contains("\"W1[1,1]\","), "names with commas are quoted CSV fields");
    // the prior normal(0, 0.5) adds W / 0.5^2 = 1.2 to the gradient at W = 0.3
    assertEquals(1.2, csv(map.out()).get("W1[1,1]") - csv(ml.out()).get("W1[1,1]"), 1e-9);
    assertTrue(csv(map.out()).get("objective") != csv(ml.out()).get("objective"));
  }

  @Test
  void timeGradients() {
    CliTest.Result r = CliTest.run("grad", R + "events.ode", "--data", R + "events_data.csv", "--wrt-times",
        "--method", "adjoint");
    assertEquals(0, r.code(), r.err());
    Map<String, Double> g = csv(r.out());
    assertTrue(g.containsKey("t0") && g.containsKey("t1") && g.containsKey("time[1]"), r.out());
    // dL/dt1 = the intensity at the window's end: a y(t1) + 0.1
    CliTest.Result f = CliTest.run("run", R + "events.ode", "--t1", "7.9", "--saveat", "7.9");
    assertEquals(0, f.code());
  }

  @Test
  void badDataGetsClearErrors(@TempDir Path dir) throws IOException {
    Path d = dir.resolve("d.csv");
    Files.writeString(d, "time,prey_ob\n1,0.5\n");
    CliTest.Result r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", d.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("prey_ob") && r.err().contains("did you mean 'prey_obs'"), r.err());
    assertTrue(r.err().startsWith(d + ":1:"), r.err());

    Files.writeString(d, "time,prey_obs\n1,0.5\n2,abc\n");
    r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", d.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(d + ":3:3: error:"), r.err());

    Files.writeString(d, "time,prey_obs\n1,0.5\n12,0.7\n");
    r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", d.toString(), "--t1", "10");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("outside"), r.err());

    Files.writeString(d, "time,prey_obs\n1,0.5\n");
    r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", d.toString(), "--set", "sigma=-0.1");
    assertEquals(2, r.code(), "sigma has scale log: a value of zero or below is refused before any solve");
    assertTrue(r.err().contains("--set sigma=-0.1: param 'sigma' has scale log, so its value must be positive"), r.err());

    r = CliTest.run("grad", "examples/lorenz.ode", "--data", d.toString());
    assertEquals(2, r.code(), "a model without observables cannot be fitted");

    r = CliTest.run("grad", "examples/lotka_volterra.ode", "--data", d.toString(), "--method", "adjiont");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("did you mean 'adjoint'"), r.err());
  }

  @Test
  void stiffModelsTakeStiffSolversAndTheBacksolveRefuses() {
    CliTest.Result fwd = CliTest.run("grad", R + "robertson_obs.ode", "--data", R + "robertson_data.csv",
        "--solver", "bdf", "--method", "forward", "--atol", "1e-12");
    assertEquals(0, fwd.code(), fwd.err());
    CliTest.Result cp = CliTest.run("grad", R + "robertson_obs.ode", "--data", R + "robertson_data.csv",
        "--solver", "rodas5", "--method", "checkpoint", "--atol", "1e-12");
    assertEquals(0, cp.code(), cp.err());
    Map<String, Double> a = csv(fwd.out());
    Map<String, Double> b = csv(cp.out());
    for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), 1e-3 * Math.abs(a.get(k)) + 1e-9, k);
    CliTest.Result back = CliTest.run("grad", R + "robertson_obs.ode", "--data", R + "robertson_data.csv",
        "--solver", "bdf", "--method", "adjoint");
    assertEquals(2, back.code());
    assertTrue(back.err().contains("stiff") && back.err().contains("--method checkpoint"), back.err());
  }

  @Test
  void matrixObservablesOutFilesAndPositionedDataErrors(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("m.ode");
    Files.writeString(m, "param s = 0.1 in [0.01, 1]\nstate z: real[2] = [1, 2]\nd(z)/dt = -z\n"
        + "observe M ~ normal([[z[1], z[2]], [z[2], z[1]]], s)\n");
    Path d = dir.resolve("d.csv");
    Files.writeString(d, "time,\"M[1,2]\",\"M[2,2]\"\n1,0.7,0.4\n2,0.3,0.1\n");
    Path out = dir.resolve("g.csv");
    CliTest.Result r = CliTest.run("grad", m.toString(), "--data", d.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(out).startsWith("name,value\nobjective,"));
    assertEquals(2, CliTest.run("grad", m.toString(), "--data", d.toString(), "--out", out.toString()).code(),
        "no silent overwrite");
    r = CliTest.run("grad", m.toString(), "--data", d.toString(), "--set", "s=-1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("odec: warning: --set s=-1.0 is outside the bounds [0.01, 1.0] of param 's'\n" + d + ":2:"),
        r.err());
    Files.writeString(d, "time,\"M[1,1]\"\n-1,0.7\n2,0.3\n");
    r = CliTest.run("grad", m.toString(), "--data", d.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("outside"), r.err());
  }

  @Test
  void emitJacobianAndAdjoint() {
    CliTest.Result j = CliTest.run("compile", "examples/lotka_volterra.ode", "--emit", "jacobian");
    assertEquals(0, j.code(), j.err());
    assertTrue(j.out().contains("d(prey)/d(pred) = -beta * prey"), j.out());
    CliTest.Result a = CliTest.run("compile", "examples/lotka_volterra.ode", "--emit", "adjoint");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("d(λ_prey)/dt = ") && a.out().contains("d(μ_alpha)/dt = -λ_prey * prey"), a.out());
  }

  /**
   * Issue 7, failure 6: a failure of the adjoint's backward pass named the time of its local
   * chunk ("at t = -3.76" for a data window [0, 28]); it must name model time, and the component
   * for what it is.
   */
  @Test
  void anAdjointFailureNamesModelTime(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("blow.ode");
    Files.writeString(m, "param k = 40\nstate x = 1\nd(x)/dt = -k*x + 0.1*x^2\nobserve x_obs ~ normal(x, 0.1)\n");
    Path d = dir.resolve("d.csv");
    Files.writeString(d, "time,x_obs\n1,0.1\n28,0.0\n");
    CliTest.Result r = CliTest.run("grad", m.toString(), "--data", d.toString(), "--method", "adjoint", "--solver", "dopri5");
    assertEquals(3, r.code(), r.out());
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("at t = ([-0-9.e+]+)").matcher(r.err());
    assertTrue(at.find(), r.err());
    double t = Double.parseDouble(at.group(1));
    assertTrue(t >= 0 && t <= 28, "the time " + t + " lies outside the data window [0, 28]: " + r.err());
    assertTrue(r.err().contains("backward pass of the adjoint"), r.err());
    assertTrue(!r.err().contains("component 3"), r.err());
  }
}
