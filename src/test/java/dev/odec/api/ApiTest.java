package dev.odec.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API against the command line: the same numbers (bit for bit: both run the same code,
 * and the CLI prints shortest round-trip decimals), the same words for the same mistakes, and
 * values that describe the model as it is written.
 */
class ApiTest {
  static final Path LV = Path.of("examples/lotka_volterra.ode");
  static final Path LV_DATA = Path.of("src/test/resources/grad/lv_data.csv");

  record Cli(int code, String out, String err) {}

  static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Cli(code, out.toString(), err.toString());
  }

  /** The CLI's message for a usage error, without its "odec: error: " prefix. */
  static String cliError(String... args) {
    Cli r = cli(args);
    assertEquals(2, r.code(), r.err());
    String line = r.err().lines().filter(l -> l.startsWith("odec: error: ")).findFirst().orElseThrow(() ->
        new AssertionError(r.err()));
    return line.substring("odec: error: ".length());
  }

  /** Rows of a CSV the CLI printed, parsed (header dropped). */
  static double[][] rows(String csv) {
    List<double[]> out = new ArrayList<>();
    List<String> lines = csv.lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double[] v = new double[cells.length];
      for (int i = 0; i < cells.length; i++) v[i] = number(cells[i]);
      out.add(v);
    }
    return out.toArray(new double[0][]);
  }

  static double number(String s) {
    return switch (s) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /** name,value lines of grad's CSV. */
  static Map<String, Double> nameValues(String csv) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : csv.lines().skip(1).toList()) {
      int comma = line.lastIndexOf(',');
      out.put(line.substring(0, comma).replace("\"", ""), number(line.substring(comma + 1)));
    }
    return out;
  }

  static Model lv() {
    return Odec.compile(LV).model();
  }

  @Test
  void modelDescribesWhatIsWritten() {
    Model m = lv();
    assertEquals("lotka_volterra", m.name());
    assertEquals(List.of("alpha", "beta", "delta", "gamma", "sigma"), m.params().stream().map(Param::name).toList());
    Param alpha = m.params().get(0);
    assertEquals(0.01, alpha.lower());
    assertEquals(10, alpha.upper());
    assertEquals("log", alpha.scale());
    assertArrayEquals(new double[] {1.5}, alpha.nominal());
    assertEquals(List.of(), alpha.shape());
    assertNull(alpha.prior());
    assertEquals(List.of("prey", "pred"), m.states().stream().map(State::name).toList());
    assertEquals(1, m.states().get(1).offset());
    assertEquals(List.of("prey_obs", "pred_obs"), m.observables().stream().map(Observable::name).toList());
    assertEquals("normal", m.observables().get(0).distribution());
    assertTrue(m.consts().isEmpty() && m.rates().isEmpty());

    Model nn = Odec.compile(Path.of("examples/neural.ode")).model();
    Param w1 = nn.params().get(0);
    assertEquals(List.of(8, 2), w1.shape());
    assertEquals("W1[1,2]", w1.components().get(1));
    assertEquals("normal", w1.prior().distribution());
    assertArrayEquals(new double[] {0.5}, w1.prior().arguments().get(1));
    assertFalse(w1.bounded());
    Const h = nn.consts().get(0);
    assertEquals("H", h.name());
    assertTrue(h.structural(), "H sizes the arrays");
    assertArrayEquals(new double[] {8}, h.nominal());
    assertEquals(List.of("z[1]", "z[2]"), nn.states().get(0).components());
    // nominal values of params without '=': draws from their priors with seed 1, as the CLI's
    assertArrayEquals(w1.nominal(), nn.parameters().values("W1"));

    Model sir = Odec.compile(Path.of("src/test/resources/hybrid/sir_lockdown.ode")).model();
    assertEquals(List.of("beta_t", "cases"), sir.derivedNames());
    assertEquals("poisson", sir.observables().get(0).distribution());
    assertEquals(1e5, sir.parameters().get("N"));
    assertEquals(sir.toString(), "Model[sir_lockdown: 3 states, 4 params, 1 consts, 1 observables, 0 rates]");
  }

  @Test
  void diagnosticsAreValuesWithTheWordsCheckPrints(@TempDir Path dir) throws IOException {
    String text = "param speed = 1\nstate x = 1\nd(x)/dt = -spede*x\nd(y)/dt = 1\n";
    Compilation c = Odec.compile(text, "bad.ode");
    assertFalse(c.ok());
    assertEquals(2, c.errors().size(), c.diagnostics().toString());
    Diagnostic d = c.errors().get(0);
    assertEquals(Diagnostic.Severity.ERROR, d.severity());
    assertEquals("bad.ode", d.file());
    assertEquals(3, d.line());
    assertEquals(12, d.column());
    assertEquals(5, d.length());
    assertTrue(d.message().contains("'spede'") && d.message().contains("did you mean 'speed'"), d.message());
    CompilationException e = assertThrows(CompilationException.class, c::model);
    assertEquals(c.diagnostics(), e.diagnostics());
    assertTrue(e.getMessage().startsWith("bad.ode:3:12: error: ") && e.getMessage().endsWith("(and 1 more error) in bad.ode"),
        e.getMessage());

    // the same text from a file: the rendered diagnostics are exactly what `odec check` prints
    Path file = dir.resolve("bad.ode");
    Files.writeString(file, text);
    Compilation fromFile = Odec.compile(file);
    Cli r = cli("check", file.toString());
    assertEquals(1, r.code());
    StringBuilder expected = new StringBuilder();
    for (Diagnostic x : fromFile.diagnostics()) expected.append(x.render()).append('\n');
    expected.append("2 errors in ").append(file).append('\n');
    assertEquals(expected.toString(), r.err());

    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> Odec.compile(dir.resolve("no.ode")));
    assertEquals(cliError("check", dir.resolve("no.ode").toString()), missing.getMessage());
    assertEquals(InvalidInputException.Kind.USAGE, missing.kind());

    Model ok = Odec.compile("state x = 2\nd(x)/dt = -x\n", "decay").model();
    assertEquals("decay", ok.name());
  }

  @Test
  void theCommandLinesSafetyChecksHoldForTheApi(@TempDir Path dir) throws IOException {
    // imports: the model's folder tree, widened by an import path, and the files read are listed
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(lib.resolve("rates.ode"), "fn twice(u) = 2 * u\n");
    Path model = Files.createDirectories(dir.resolve("m")).resolve("direct.ode");
    Files.writeString(model, "import \"../lib/rates.ode\"\nstate x = 1\nd(x)/dt = -twice(x)\n");
    Compilation refused = Odec.compile(model);
    assertFalse(refused.ok());
    assertTrue(refused.errors().get(0).message().contains("--import-path"), refused.errors().toString());
    Compilation widened = Odec.compile(model, List.of(lib));
    assertTrue(widened.ok(), widened.diagnostics().toString());
    assertEquals(List.of(lib.resolve("rates.ode").toRealPath()), widened.imports());
    Path none = dir.resolve("none");
    assertEquals(cliError("check", model.toString(), "--import-path", none.toString()),
        assertThrows(InvalidInputException.class, () -> Odec.compile(model, List.of(none))).getMessage());

    // the --rtol floor, and the window's end named before its start
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--rtol", "1e-16"),
        assertThrows(InvalidInputException.class, () -> SolverSettings.defaults().rtol(1e-16)).getMessage());
    assertEquals(cliError("grad", LV.toString(), "--data", LV_DATA.toString(), "--t0", "3", "--t1", "2"),
        assertThrows(InvalidInputException.class, () -> lv().loadData(LV_DATA, null, 3, 2)).getMessage());

    // a trajectory too large for the heap is refused before it is allocated
    Path wide = dir.resolve("wide.ode");
    Files.writeString(wide, "state z: real[1000] = 1\nd(z)/dt = -z\n");
    Model w = Odec.compile(wide).model();
    double[] times = new double[5_000_001];
    for (int i = 0; i < times.length; i++) times[i] = i * 2e-6;
    assertEquals(cliError("run", wide.toString(), "--t1", "10", "--saveat", "0:0.000002:10"),
        assertThrows(InvalidInputException.class, () -> w.solve(w.parameters(), 0, times, SolverSettings.defaults()))
            .getMessage());
  }

  @Test
  void overridesAreCheckedWithTheCliWords() {
    Model m = lv();
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> m.parameters().with("alpah", 1.0));
    assertEquals("alpah", e.name());
    assertEquals("alpha", e.closest().orElseThrow());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--set", "alpah=1"), e.getMessage());
    assertTrue(assertThrows(UnknownNameException.class, () -> m.parameters().with("zzz", 1.0)).closest().isEmpty());

    InvalidInputException log = assertThrows(InvalidInputException.class, () -> m.parameters(Map.of("sigma", -0.1)));
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--set", "sigma=-0.1"), log.getMessage());
    assertEquals("--set sigma=-0.1: param 'sigma' has scale log, so its value must be positive", log.getMessage());

    // outside the bounds: the API refuses; the CLI (and allowOutsideBounds) warn in the same words
    InvalidInputException out = assertThrows(InvalidInputException.class, () -> m.parameters().with("alpha", 50.0));
    assertEquals("--set alpha=50.0 is outside the bounds [0.01, 10.0] of param 'alpha'", out.getMessage());
    Cli r = cli("run", LV.toString(), "--t1", "1", "--set", "alpha=50");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("odec: warning: " + out.getMessage()), r.err());
    ParameterValues lenient = m.parameters(Map.of("alpha", 50.0), 1, true);
    assertEquals(List.of(out.getMessage()), lenient.warnings());
    assertEquals(50.0, lenient.get("alpha"));

    InvalidInputException state = assertThrows(InvalidInputException.class, () -> m.parameters().with("prey", 2.0));
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--set", "prey=2"), state.getMessage());

    ParameterValues v = m.parameters().with("alpha", 2.0).with("beta", 0.5);
    assertEquals(2.0, v.get("alpha"));
    assertEquals(0.5, v.get("beta"));
    assertEquals(1.5, m.parameters().get("alpha"), "values are immutable");
    assertEquals(List.of("alpha", "beta"), List.copyOf(v.overrides().keySet()));
    assertEquals(List.of("alpha", "beta", "delta", "gamma", "sigma"), List.copyOf(v.asMap().keySet()));
  }

  @Test
  void settingsAreCheckedWithTheCliWords() {
    InvalidInputException solver = assertThrows(InvalidInputException.class,
        () -> SolverSettings.defaults().solver("dopri"));
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--solver", "dopri"), solver.getMessage());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--rtol", "-1"),
        assertThrows(InvalidInputException.class, () -> SolverSettings.defaults().rtol(-1)).getMessage());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--max-steps", "0"),
        assertThrows(InvalidInputException.class, () -> SolverSettings.defaults().maxSteps(0)).getMessage());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--dt", "-0.5"),
        assertThrows(InvalidInputException.class, () -> SolverSettings.defaults().dt(-0.5)).getMessage());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--solver", "rk4"),
        assertThrows(InvalidInputException.class, () -> lv().simulator(SolverSettings.defaults().solver("rk4")))
            .getMessage());
    UnknownNameException state = assertThrows(UnknownNameException.class,
        () -> lv().simulator(SolverSettings.defaults().atol("prey", 1e-9).atol("pray", 1e-9)));
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--atol", "1e-8,prey=1e-9,pray=1e-9"), state.getMessage());
    assertEquals("prey", state.closest().orElseThrow());
    assertEquals(cliError("grad", LV.toString(), "--data", LV_DATA.toString(), "--method", "adjiont"),
        assertThrows(InvalidInputException.class, () -> GradientSettings.defaults().method("adjiont")).getMessage());
    assertEquals(cliError("fit", LV.toString(), "--data", LV_DATA.toString(), "--optimizer", "bfgs"),
        assertThrows(InvalidInputException.class, () -> FitSettings.defaults().optimizer("bfgs")).getMessage());
    assertEquals(cliError("fit", LV.toString(), "--data", LV_DATA.toString(), "--starts", "0"),
        assertThrows(InvalidInputException.class, () -> FitSettings.defaults().starts(0)).getMessage());
    assertEquals(cliError("run", LV.toString(), "--t1", "1", "--backend", "gpu"),
        assertThrows(InvalidInputException.class, () -> lv().withBackend("gpu")).getMessage());
  }

  @Test
  void solvesGiveTheCliNumbers() {
    Model m = lv();
    double[] times = new double[11];
    for (int i = 0; i <= 10; i++) times[i] = i;
    for (String solver : List.of("auto", "dop853", "bdf", "rodas5")) {
      SolverSettings s = SolverSettings.defaults().solver(solver).rtol(1e-8).atol("pred", 1e-11);
      Trajectory tr = m.solve(m.parameters().with("alpha", 1.2), 0, times, s);
      Cli r = cli("run", LV.toString(), "--t1", "10", "--saveat", "0:1:10", "--solver", solver, "--rtol", "1e-8",
          "--atol", "1e-8,pred=1e-11", "--set", "alpha=1.2", "--derived", "--stats");
      assertEquals(0, r.code(), r.err());
      double[][] cliRows = rows(r.out());
      double[][] states = tr.states();
      double[][] derived = tr.derived();
      for (int i = 0; i < times.length; i++) {
        assertEquals(times[i], cliRows[i][0]);
        double[] row = new double[1 + states[i].length + derived[i].length];
        row[0] = times[i];
        System.arraycopy(states[i], 0, row, 1, states[i].length);
        System.arraycopy(derived[i], 0, row, 1 + states[i].length, derived[i].length);
        assertArrayEquals(cliRows[i], row, solver + " row " + i);
      }
      assertTrue(r.err().contains("nfe: " + tr.stats().nfe() + "\n"), r.err());
      assertArrayEquals(tr.state("prey"), column(states, 0));
    }
    UnknownNameException e = assertThrows(UnknownNameException.class, () ->
        m.solve(m.parameters(), 0, times, SolverSettings.defaults()).state("prye"));
    assertEquals("prey", e.closest().orElseThrow());
  }

  static double[] column(double[][] rows, int j) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = rows[i][j];
    return out;
  }

  @Test
  void hybridModelsAndSteadyStatesGiveTheCliNumbers() {
    Model sir = Odec.compile(Path.of("src/test/resources/hybrid/sir_lockdown.ode")).model();
    double[] times = {0, 10, 20, 30, 40, 60};
    Trajectory tr = sir.solve(sir.parameters(), 0, times, SolverSettings.defaults());
    Cli r = cli("run", "src/test/resources/hybrid/sir_lockdown.ode", "--t1", "60", "--saveat", "0,10,20,30,40,60");
    assertEquals(0, r.code(), r.err());
    double[][] cliRows = rows(r.out());
    for (int i = 0; i < times.length; i++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(cliRows[i], 1, cliRows[i].length), tr.state(i));
    }

    Model pre = Odec.compile(Path.of("src/test/resources/hybrid/preeq.ode")).model();
    SteadyStateResult ss = pre.steadyState(pre.parameters().with("k1", 0.6), 0, SolverSettings.defaults().atol(1e-10));
    Cli s = cli("run", "src/test/resources/hybrid/preeq.ode", "--steady-state", "--atol", "1e-10", "--set", "k1=0.6",
        "--derived");
    assertEquals(0, s.code(), s.err());
    double[] row = rows(s.out())[0];
    assertEquals(Double.POSITIVE_INFINITY, row[0]);
    double[] expected = new double[1 + ss.state().length + ss.derived().length];
    expected[0] = Double.POSITIVE_INFINITY;
    System.arraycopy(ss.state(), 0, expected, 1, ss.state().length);
    System.arraycopy(ss.derived(), 0, expected, 1 + ss.state().length, ss.derived().length);
    assertArrayEquals(expected, row);
    assertEquals(0.6 / 0.2, ss.state("A"), 1e-8, "A = k1/k2");
    assertEquals(0.6 / 0.1, ss.state("B"), 1e-8, "B = k1/k3");
    assertEquals(2.0, ss.state("C") + ss.state("D"), 1e-9, "C + D is conserved");
  }

  @Test
  void gradientsGiveTheCliNumbersForEveryMethod() {
    Model m = lv();
    Data data = m.loadData(LV_DATA);
    ParameterValues p = m.parameters().with("beta", 1.1);
    for (String method : List.of("adjoint", "checkpoint", "forward", "discrete", "auto")) {
      for (boolean map : new boolean[] {false, true}) {
        GradientSettings s = GradientSettings.defaults().method(method).map(map).wrtTimes(true)
            .solver(SolverSettings.defaults().rtol(1e-8).atol(1e-10));
        Gradient g = m.gradient(data, p, s);
        List<String> args = new ArrayList<>(List.of("grad", LV.toString(), "--data", LV_DATA.toString(), "--method",
            method, "--rtol", "1e-8", "--atol", "1e-10", "--set", "beta=1.1", "--wrt-times"));
        if (map) args.add("--map");
        Cli r = cli(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        Map<String, Double> expected = nameValues(r.out());
        Map<String, Double> actual = new LinkedHashMap<>();
        actual.put("objective", g.objective());
        actual.putAll(g.byName());
        actual.putAll(g.timeGradient());
        assertEquals(expected, actual, method + (map ? " --map" : ""));
        if (method.equals("auto")) assertEquals("forward", g.method());
        // the objective alone comes from a solve of the model's states only, without the error
        // control on sensitivities or adjoints: equal to the solver's accuracy
        assertEquals(g.objective(), m.objective(data, p, s), 1e-6 * Math.abs(g.objective()), "objective alone");
      }
    }
  }

  /** Central differences of the API's objective, param by param, name by name. */
  @Test
  void gradientEntriesAreTheDerivativesOfTheirNamedParams() {
    Model m = lv();
    Data data = m.loadData(LV_DATA);
    GradientSettings s = GradientSettings.defaults().method("adjoint")
        .solver(SolverSettings.defaults().solver("dop853").rtol(1e-12).atol(1e-12));
    ParameterValues p = m.parameters();
    Gradient g = m.gradient(data, p, s);
    for (String name : g.byName().keySet()) {
      double x = p.get(name);
      double h = 1e-5 * x;
      double fd = (m.objective(data, p.with(name, x + h), s) - m.objective(data, p.with(name, x - h), s)) / (2 * h);
      assertEquals(fd, g.get(name), 1e-5 * Math.max(1, Math.abs(fd)), name);
    }
  }

  @Test
  void badDataAndNumericalFailuresAreTheCliMessages(@TempDir Path dir) throws IOException {
    Model m = lv();
    Path d = dir.resolve("d.csv");
    Files.writeString(d, "time,prey_obs\n1,0.5\n2,abc\n");
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> m.loadData(d));
    assertTrue(bad.positioned() && bad.kind() == InvalidInputException.Kind.INPUT, bad.getMessage());
    Cli r = cli("grad", LV.toString(), "--data", d.toString());
    assertEquals(1, r.code());
    assertEquals(bad.getMessage() + "\n", r.err());

    Path blow = dir.resolve("blow.ode");
    Files.writeString(blow, "state x = 1\nstate y = 1\nd(x)/dt = 0\nd(y)/dt = y^2\n");
    Model b = Odec.compile(blow).model();
    SolverException e = assertThrows(SolverException.class,
        () -> b.solve(b.parameters(), 0, new double[] {2}, SolverSettings.defaults().solver("dopri5")));
    Cli c = cli("run", blow.toString(), "--t1", "2", "--saveat", "2", "--solver", "dopri5");
    assertEquals(3, c.code(), c.err());
    assertEquals("odec: numerical failure: " + e.getMessage() + "\n", c.err());
    assertTrue(e.time() > 0.9 && e.time() < 1.01, "y = 1/(1 - t) blows up at t = 1: " + e.time());
    assertEquals("y", e.state().orElse("y"));
  }

  @Test
  void fitsGiveTheCliResult(@TempDir Path dir) throws IOException {
    Path model = Path.of("examples/fit/lotka_volterra.ode");
    Path data = Path.of("examples/fit/lv_data.csv");
    Model m = Odec.compile(model).model();
    List<String> warnings = new ArrayList<>();
    FitResult fit = m.fit(m.loadData(data), m.parameters().with("gamma", 0.8), FitSettings.defaults().starts(2)
        .threads(2).fix(List.of("delta")), warnings::add);
    Path out = dir.resolve("best.txt");
    Cli r = cli("fit", model.toString(), "--data", data.toString(), "--starts", "2", "--threads", "2", "--fix", "delta",
        "--set", "gamma=0.8", "--out-params", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("objective: " + dev.odec.infer.Decimals.shortest(fit.objective()) + "  (ls,"),
        r.out());
    Map<String, Double> best = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("#")) continue;
      best.put(line.substring(0, line.indexOf('=')), number(line.substring(line.indexOf('=') + 1)));
    }
    Map<String, Double> params = new LinkedHashMap<>(fit.parameters().asMap());
    assertEquals(best, params);
    assertEquals(1.0, fit.parameters().get("delta"), "held at its nominal value");
    assertEquals(List.of("alpha", "beta", "gamma", "sigma"), fit.estimates().stream().map(FitResult.Estimate::name).toList());
    assertEquals(2, fit.starts().size());
    assertTrue(fit.estimate("alpha").standardError() > 0 && fit.estimate("alpha").identifiable());
    assertEquals("Fisher information", fit.uncertaintySource());
    assertTrue(warnings.isEmpty(), warnings.toString());
    // the optimum's values solve and differentiate like any others
    Gradient g = m.gradient(m.loadData(data), fit.parameters(), GradientSettings.defaults());
    assertTrue(Math.abs(g.get("alpha")) < 1e-3 * Math.max(1, Math.abs(g.objective())), "stationary: " + g.byName());
    UnknownNameException fix = assertThrows(UnknownNameException.class, () -> m.fit(m.loadData(data), m.parameters(),
        FitSettings.defaults().fix(List.of("alpah")), null));
    assertEquals("alpha", fix.closest().orElseThrow());
  }
}
