package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of every command through picocli, asserting output and exit codes. */
class CliTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static double[] lastRow(String csv) {
    List<String> lines = csv.lines().toList();
    String[] cells = lines.get(lines.size() - 1).split(",");
    double[] v = new double[cells.length];
    for (int i = 0; i < cells.length; i++) v[i] = Double.parseDouble(cells[i]);
    return v;
  }

  private static void assertNoStackTrace(Result r) {
    assertFalse(r.err.contains("\tat "), "stack trace in stderr:\n" + r.err);
    assertFalse(r.err.contains("Exception"), "exception name in stderr:\n" + r.err);
  }

  /** Counts are of components: z is real[2]; W1 (8x2) + b1 (8) + W2 (2x8) + b2 (2) + A (2x2) = 46. */
  @Test
  void checkCountsComponentsNotDeclarations() {
    Result r = run("check", "examples/neural.ode");
    assertEquals(0, r.code, r.err);
    assertEquals("neural: 2 states, 46 params, 1 consts, 0 observables, 0 rates\n", r.out);
  }

  @Test
  void checkPrintsTheSummaryLine() {
    Result r = run("check", "examples/lotka_volterra.ode");
    assertEquals(0, r.code, r.err);
    assertEquals("lotka_volterra: 2 states, 5 params, 0 consts, 2 observables, 0 rates\n", r.out);
  }

  @Test
  void checkAcceptsEveryExample() throws IOException {
    try (var s = Files.walk(Path.of("examples"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".ode")).toList()) {
        Result r = run("check", p.toString());
        assertEquals(0, r.code, p + ": " + r.err);
      }
    }
  }

  @Test
  void runEveryExample() throws IOException {
    try (var s = Files.list(Path.of("examples"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".ode")).toList()) {
        Result r = run("run", p.toString(), "--t1", "5", "--derived");
        assertEquals(0, r.code, p + ": " + r.err);
        assertEquals(102, r.out.lines().count(), p.toString());
        for (double v : lastRow(r.out)) assertTrue(Double.isFinite(v), p.toString());
      }
    }
  }

  @Test
  void runWritesTheContractCsv() {
    Result r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--rtol", "1e-10", "--atol", "1e-12");
    assertEquals(0, r.code, r.err);
    List<String> lines = r.out.lines().toList();
    assertEquals("time,prey,pred", lines.get(0));
    assertEquals(102, lines.size());
    assertTrue(lines.get(1).startsWith("0.0,1.0,1.0"), lines.get(1));
    assertTrue(lines.get(101).startsWith("10.0,"), lines.get(101));
    // the same solution from the most accurate method, compared at t = 10
    Result ref = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--solver", "dop853", "--rtol", "1e-13",
        "--atol", "1e-14");
    double[] a = lastRow(r.out);
    double[] b = lastRow(ref.out);
    for (int i = 1; i < a.length; i++) assertEquals(b[i], a[i], 1e-7 * Math.abs(b[i]));
  }

  @Test
  void saveatSetDerivedAndStats() {
    Result r = run("run", "examples/sir.ode", "--t1", "100", "--saveat", "0:25:100", "--set", "beta=0.5",
        "--derived", "--stats");
    assertEquals(0, r.code, r.err);
    List<String> lines = r.out.lines().toList();
    assertEquals("time,S,I,R,R0,incidence", lines.get(0));
    assertEquals(6, lines.size());
    String[] row = lines.get(1).split(",");
    assertEquals(5.0, Double.parseDouble(row[4]), 1e-12, "R0 = beta/gamma with beta set to 0.5");
    for (String k : List.of("nfe: ", "steps: ", "rejected: ", "jacobians: ", "lu: ", "wall_ms: ")) {
      assertTrue(r.err.contains("\n" + k) || r.err.startsWith(k), "missing " + k + " in\n" + r.err);
    }
    double[] last = lastRow(r.out);
    assertEquals(1.0, last[1] + last[2] + last[3], 1e-6, "S + I + R is conserved");
  }

  @Test
  void commaSaveatAndComponentNames() {
    Result r = run("run", "examples/neural.ode", "--t1", "1", "--saveat", "0,0.5,1");
    assertEquals(0, r.code, r.err);
    assertEquals("time,z[1],z[2]", r.out.lines().findFirst().orElseThrow());
    assertEquals(4, r.out.lines().count());
  }

  @Test
  void perStateTolerances() {
    Result r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--atol", "1e-8,prey=1e-12", "--rtol", "1e-9,pred=1e-7",
        "--stats");
    assertEquals(0, r.code, r.err);
    Result bad = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--atol", "1e-8,pery=1e-12");
    assertEquals(2, bad.code);
    assertTrue(bad.err.contains("did you mean 'prey'"), bad.err);
  }

  @Test
  void fixedStepSolversNeedDt() {
    Result r = run("run", "examples/lorenz.ode", "--t1", "1", "--solver", "rk4");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("--dt"), r.err);
    r = run("run", "examples/lorenz.ode", "--t1", "1", "--solver", "rk4", "--dt", "0.001");
    assertEquals(0, r.code, r.err);
  }

  @Test
  void modelErrorsExitOneWithPositions(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("bad.ode");
    Files.writeString(m, "param alpha = 1\nstate x = 1\nd(x)/dt = alhpa * x\n");
    Result r = run("check", m.toString());
    assertEquals(1, r.code);
    assertTrue(r.err.startsWith(m + ":3:11: error: unknown name 'alhpa' (did you mean 'alpha'?)"), r.err);
    assertNoStackTrace(r);
    assertEquals(1, run("run", m.toString(), "--t1", "1").code);
  }

  @Test
  void badInputGetsOneClearLine(@TempDir Path dir) throws IOException {
    Path garbage = dir.resolve("garbage.ode");
    byte[] bytes = new byte[512];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(garbage, bytes);
    Result r = run("check", garbage.toString());
    assertEquals(1, r.code);
    assertTrue(r.err.contains("binary data"), r.err);
    assertNoStackTrace(r);

    Path empty = dir.resolve("empty.ode");
    Files.writeString(empty, "");
    r = run("run", empty.toString(), "--t1", "1");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("empty"), r.err);

    r = run("run", dir.resolve("missing.ode").toString(), "--t1", "1");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("no such file"), r.err);
    assertNoStackTrace(r);
  }

  @Test
  void usageErrorsExitTwo() {
    Result r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--solver", "dopri");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("unknown solver 'dopri'") && r.err.contains("dopri5, tsit5, dop853"), r.err);

    r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--set", "alhpa=2");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("did you mean 'alpha'?"), r.err);

    r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--saveat", "0,5,11");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("outside the time span"), r.err);

    r = run("run", "examples/lotka_volterra.ode");
    assertEquals(2, r.code, "--t1 is required");

    r = run("run", "examples/lotka_volterra.ode", "--t1", "ten");
    assertEquals(2, r.code);

    r = run("frobnicate");
    assertEquals(2, r.code);
    assertNoStackTrace(r);
  }

  @Test
  void nonFiniteInitialValueNamesTheState(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("m.ode");
    Files.writeString(m, "param S0 = 0\nstate S = log(S0)\nd(S)/dt = -S\n");
    Result r = run("run", m.toString(), "--t1", "1");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("state 'S'") && r.err.contains("-Infinity"), r.err);
  }

  @Test
  void numericalFailureExitsThreeWithTheTime(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("blowup.ode");
    Files.writeString(m, "state y = 1\nd(y)/dt = y^2\n");
    Result r = run("run", m.toString(), "--t1", "2");
    assertEquals(3, r.code, r.err);
    assertTrue(r.err.contains(" at t = 1:") || r.err.contains("t = 0.99"), r.err);
    assertNoStackTrace(r);

    r = run("run", "examples/lorenz.ode", "--t1", "100", "--max-steps", "20");
    assertEquals(3, r.code);
    assertTrue(r.err.contains("--max-steps"), r.err);
  }

  @Test
  void anExplicitSolverOnAStiffProblemStopsWithAdvice(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("rober.ode");
    Files.writeString(m, "param k1 = 0.04\nparam k2 = 3e7\nparam k3 = 1e4\nstate A = 1\nstate B = 0\nstate C = 0\n"
        + "d(A)/dt = -k1*A + k3*B*C\nd(B)/dt = k1*A - k3*B*C - k2*B^2\nd(C)/dt = k2*B^2\n");
    Result r = run("run", m.toString(), "--t1", "1e5", "--solver", "dopri5");
    assertEquals(3, r.code, r.err);
    assertTrue(r.err.contains("stiff") && r.err.contains("--solver bdf"), r.err);
    assertNoStackTrace(r);
  }

  @Test
  void stiffSolversAndAutoSwitching() {
    for (String solver : List.of("bdf", "rodas5", "auto")) {
      Result r = run("run", "examples/stiff/robertson.ode", "--t1", "1e5", "--saveat", "1e5", "--solver", solver,
          "--atol", "1e-14", "--stats");
      assertEquals(0, r.code, solver + ": " + r.err);
      double[] y = lastRow(r.out);
      assertEquals(0.9999991, y[3] + 0.0, 1e-1, "C is nearly all the mass");
      assertEquals(1.0, y[1] + y[2] + y[3], 1e-9, solver + ": mass is conserved");
      assertTrue(r.err.contains("jacobians: ") && r.err.contains("lu: "), r.err);
      if (solver.equals("auto")) assertTrue(r.err.contains("switches: 1"), r.err);
    }
  }

  @Test
  void solverMessagesNameTheStates() {
    var sys = dev.odec.sema.Models.compile("state S = 1\nstate z: real[2] = 0\nd(S)/dt = -S\nd(z)/dt = -z\n");
    var e = new dev.odec.solve.SolverFailure(dev.odec.solve.SolverFailure.Reason.NEWTON, 3.2, 3,
        "Newton iteration failed at t = 3.2: the states changing fastest are 'component 3', 'component 1'");
    String msg = e.withStateNames(sys.stateComponentNames()).getMessage();
    assertEquals("Newton iteration failed at t = 3.2: the states changing fastest are state 'z[2]', state 'S'", msg);
    var nan = new dev.odec.solve.SolverFailure(dev.odec.solve.SolverFailure.Reason.NON_FINITE, 1, 2,
        "the derivative of state component 2 became NaN at t = 1");
    assertEquals("the derivative of state 'z[1]' became NaN at t = 1", nan.withStateNames(sys.stateComponentNames()).getMessage());
  }

  @Test
  void negativeSpeciesAreReportedNotClipped(@TempDir Path dir) throws IOException {
    Path m = dir.resolve("leak.ode");
    Files.writeString(m, "param k = 1\nstate A = 1\nstate B = 0\nreaction A -> B : k\n");
    Result r = run("run", m.toString(), "--t1", "2");
    assertEquals(0, r.code, r.err);
    assertTrue(r.err.contains("species 'A' is negative"), r.err);
    assertTrue(lastRow(r.out)[1] < -0.9, "the value itself is not clipped");
  }

  @Test
  void outAndPlotFilesAndNoSilentOverwrite(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("out.csv");
    Path svg = dir.resolve("plot.svg");
    Path png = dir.resolve("plot.png");
    Result r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--out", csv.toString(), "--plot", svg.toString());
    assertEquals(0, r.code, r.err);
    assertEquals("", r.out);
    assertTrue(Files.readString(csv).startsWith("time,prey,pred\n"));
    String svgText = Files.readString(svg);
    assertTrue(svgText.contains("<svg") && svgText.contains("prey"), "an SVG with the legend");
    r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--out", csv.toString());
    assertEquals(2, r.code, "refuses to replace without --force");
    assertTrue(r.err.contains("--force"), r.err);
    r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--out", csv.toString(), "--force", "--plot", png.toString());
    assertEquals(0, r.code, r.err);
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertEquals(0x89, head[0] & 0xff);
    assertEquals('P', head[1]);
    r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--out", "examples/lotka_volterra.ode", "--force");
    assertEquals(2, r.code, "never writes over a model");
  }

  @Test
  void internalErrorsExitFourAndShowAStackTraceOnlyWithDebug() {
    StringWriter err = new StringWriter();
    int code = Main.handle(new IllegalStateException("boom"), new PrintWriter(err), false);
    assertEquals(4, code);
    assertTrue(err.toString().contains("internal error") && err.toString().contains("--debug"), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace without --debug");
    StringWriter dbg = new StringWriter();
    Main.handle(new IllegalStateException("boom"), new PrintWriter(dbg), true);
    assertTrue(dbg.toString().contains("\tat "), "--debug adds the stack trace");
  }

  @Test
  void repeatReportsAMedian() {
    Result r = run("run", "examples/lotka_volterra.ode", "--t1", "10", "--repeat", "5", "--stats");
    assertEquals(0, r.code, r.err);
    assertTrue(r.err.contains("wall_ms: "), r.err);
  }

  @Test
  void backendsAgree() {
    Result jvm = run("run", "examples/neural.ode", "--t1", "3", "--backend", "jvm", "--derived");
    Result interp = run("run", "examples/neural.ode", "--t1", "3", "--backend", "interp", "--derived");
    assertEquals(0, jvm.code, jvm.err);
    assertEquals(interp.out, jvm.out, "bit-identical backends give identical CSV");
  }

  @Test
  void compileEmitsAstIrAndJava() {
    Result ast = run("compile", "examples/lotka_volterra.ode", "--emit", "ast");
    assertEquals(0, ast.code, ast.err);
    assertTrue(ast.out.contains("d(prey)/dt = ((alpha * prey) - ((beta * prey) * pred))"), ast.out);
    Result ir = run("compile", "examples/lotka_volterra.ode", "--emit", "ir");
    assertEquals(0, ir.code, ir.err);
    assertTrue(ir.out.contains("function rhs(t, y: real[2], p: real[5])") && ir.out.contains("mul"), ir.out);
    Result java = run("compile", "examples/lotka_volterra.ode", "--emit", "java");
    assertEquals(0, java.code, java.err);
    assertTrue(java.out.contains("rhs"), java.out);
    assertEquals(2, run("compile", "examples/lotka_volterra.ode", "--emit", "llvm").code);
  }
}
