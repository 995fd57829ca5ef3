package dev.odec.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.codegen.jvm.JvmBackend;
import dev.odec.infer.Conditions;
import dev.odec.infer.DataSet;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.Parameters;
import dev.odec.sema.Frontend;
import dev.odec.sens.GradientMethods;
import dev.odec.sens.GradientModel;
import dev.odec.sens.GradientProblem;
import dev.odec.sens.GradientResult;
import dev.odec.solve.Method;
import dev.odec.solve.SolverOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEtab problems of the benchmark collection (the project's shared copy) run directly and through
 * the imported files: the objective is minus the log-likelihood AMICI's test suite checks
 * (within its tolerance, 1e-3), the gradient agrees with central differences, the imported files
 * give the same objective as the problem, and bad tables are reported at FILE:LINE:COL.
 */
class PetabImportTest {
  static final Path SHARED = Path.of("src/test/resources/petab");

  static Path problem(String name) {
    return SHARED.resolve(name).resolve(name + ".yaml");
  }

  static Map<String, Double> csv(String out) {
    Map<String, Double> m = new HashMap<>();
    List<String> lines = out.lines().toList();
    assertEquals("name,value", lines.get(0));
    for (String l : lines.subList(1, lines.size())) {
      int comma = l.lastIndexOf(',');
      m.put(l.substring(0, comma), Double.parseDouble(l.substring(comma + 1)));
    }
    return m;
  }

  static Map<String, Double> grad(String... args) {
    SbmlImportTest.Run r = SbmlImportTest.cli(args);
    assertEquals(0, r.code(), r.err());
    return csv(r.out());
  }

  @Test
  void boehmReproducesTheReferenceLikelihoodDirectlyAndThroughTheImportedFiles(@TempDir Path dir) {
    Map<String, Double> direct = grad("grad", problem("Boehm_JProteomeRes2014").toString(), "--rtol", "1e-8", "--atol", "1e-8");
    assertEquals(138.22199693517703, direct.get("objective"), 1e-3, "minus AMICI's reference log-likelihood");
    assertEquals(10, direct.size(), "the objective and the 9 estimated parameters: " + direct.keySet());
    SbmlImportTest.Run imp = SbmlImportTest.cli("import", problem("Boehm_JProteomeRes2014").toString(), "--out", dir.toString());
    assertEquals(0, imp.code(), imp.err());
    Map<String, Double> files = grad("grad", dir.resolve("Boehm_JProteomeRes2014.ode").toString(), "--data",
        dir.resolve("data.csv").toString(), "--conditions", dir.resolve("conditions.csv").toString(), "--rtol", "1e-8",
        "--atol", "1e-8", "--solver", "bdf");
    assertEquals(direct.get("objective"), files.get("objective"), 1e-10);
    for (String k : direct.keySet()) assertEquals(direct.get(k), files.get(k), 1e-10 * (1 + Math.abs(direct.get(k))), k);
  }

  @Test
  void fujitaReproducesTheReferenceLikelihood() {
    // a time-dependent input (piecewise), 16 conditions, a numeric sigma per measurement
    Map<String, Double> g = grad("grad", problem("Fujita_SciSignal2010").toString(), "--rtol", "1e-8", "--atol", "1e-8");
    assertEquals(-53.08377736998929, g.get("objective"), 1e-3);
    // the numeric sigmas are data: one observe per observable, the noise in NAME.sigma columns
    PetabImport.Result r = PetabImport.translate(problem("Fujita_SciSignal2010"));
    assertEquals(3, r.odeText().lines().filter(l -> l.startsWith("observe ")).count(), r.odeText());
    assertEquals("experiment,time,pAkt_tot,pEGFR_tot,pS6_tot,pAkt_tot.sigma,pEGFR_tot.sigma,pS6_tot.sigma",
        r.dataCsv().lines().findFirst().orElseThrow());
  }

  @Test
  void brannmarkReproducesTheReferenceLikelihood() {
    // every experiment pre-equilibrated to the steady state of condition Dose_0, then dosed (piecewise in time)
    Map<String, Double> g = grad("grad", problem("Brannmark_JBC2010").toString(), "--rtol", "1e-8", "--atol", "1e-8");
    assertEquals(141.889113770537, g.get("objective"), 1e-3);
  }

  /** The imported problem built as {@code odec grad} builds it. */
  static final class Loaded {
    final OdeSystem sys;
    final DataSet data;
    final Conditions conditions;
    final GradientModel model;
    final double[] p;

    Loaded(String name) {
      PetabCache.Files f = PetabCache.get(problem(name));
      Frontend.Result r = Frontend.compile(f.model());
      assertTrue(r.ok(), () -> r.diagnostics().sorted().toString());
      sys = r.system();
      data = DataSet.read(f.data(), GradientProblem.observationColumns(sys), GradientProblem.rateColumns(sys));
      conditions = Conditions.read(f.conditions(), sys.pVars().stream().map(OdeSystem.Var::name).toList());
      model = new GradientModel(sys, new JvmBackend());
      p = Parameters.build(sys, Map.of(), 1);
    }

    GradientProblem at(double[] params, double tol) {
      return at(params, tol, Method.BDF);
    }

    GradientProblem at(double[] params, double tol, Method method) {
      SolverOptions o = new SolverOptions();
      o.rtol = tol;
      o.atol = tol;
      o.maxSteps = 1_000_000;
      return new GradientProblem(model, data, conditions, params, 0.0, data.maxTime(), method, o);
    }
  }

  @Test
  void bachmannsObjectiveIsTheReferenceLikelihood() {
    // 25 states, 36 conditions, log10 observables, observable and noise parameters per measurement
    Loaded b = new Loaded("Bachmann_MSB2011");
    assertEquals(-418.40573341425295, b.at(b.p, 1e-8).objective(), 1e-3);
  }

  @Test
  void boehmsGradientAgreesWithCentralDifferences() {
    Loaded b = new Loaded("Boehm_JProteomeRes2014");
    // away from the nominal values (the published optimum, where every component is near 0)
    double[] p = b.p.clone();
    for (OdeSystem.ParamInfo info : b.sys.params()) p[info.var().offset()] *= 1.3;
    GradientResult g = GradientMethods.byName("forward", b.sys.params().size(), false).compute(b.at(p, 1e-10));
    double scale = 0;
    for (OdeSystem.ParamInfo info : b.sys.params()) {
      int i = info.var().offset();
      scale = Math.max(scale, Math.abs(g.gradient[i] * p[i]));
    }
    int checked = 0;
    for (OdeSystem.ParamInfo info : b.sys.params()) {
      int i = info.var().offset();
      double h = 1e-4 * p[i];
      double[] plus = p.clone();
      double[] minus = p.clone();
      plus[i] += h;
      minus[i] -= h;
      // Rodas5P at a tight tolerance: smooth in p where BDF's order and step changes are not
      double fd = (b.at(plus, 1e-12, Method.RODAS5).objective() - b.at(minus, 1e-12, Method.RODAS5).objective()) / (2 * h);
      // compared as d/d log p (p dL/dp), the scale the parameters are estimated on; components far
      // below the largest do not matter
      double an = g.gradient[i] * p[i];
      if (Math.abs(an) < 1e-3 * scale) continue;
      assertEquals(fd * p[i], an, 1e-3 * Math.abs(an), info.var().name());
      checked++;
    }
    assertTrue(checked >= 6, "checked " + checked + " components");
  }

  @Test
  void brannmarksPreequilibrationIsWrittenAsAConditionsColumn() {
    PetabImport.Result r = PetabImport.translate(problem("Brannmark_JBC2010"));
    List<String> cond = r.conditionsCsv().lines().toList();
    assertEquals("experiment,preequilibration,insulin_time_1,insulin_dose_1,insulin_time_2,insulin_dose_2", cond.get(0));
    assertTrue(cond.contains("Dose_1,preeq_Dose_0,0.0,0.3,0.0,0.0"), r.conditionsCsv());
    assertTrue(cond.contains("preeq_Dose_0,,0.0,0.0,0.0,0.0"), r.conditionsCsv());
    // three observables, each measured with one set of placeholders
    assertTrue(r.odeText().contains("observe IR1_P ~ normal(k_IRP_1Step*(IRp + IRiP), sigmaY1TimR)"), r.odeText());
    assertTrue(r.odeText().contains("let insulin = insulin_dose_1*(if t - insulin_time_1 < 0 then 0 else 1)"), r.odeText());
  }

  @Test
  void differentPlaceholderValuesGiveOneObservablePerAssignment() {
    PetabImport.Result r = PetabImport.translate(problem("Bachmann_MSB2011"));
    String ode = r.odeText();
    assertTrue(ode.contains("observe observable_CIS_au_1 ~ lognormal(log(offset_CIS_long + CIS*scale_CIS_long/CISEqc), "
        + "sd_CIS_au*log(10))"), ode);
    assertTrue(ode.contains("observe observable_pSTAT5_au_1 ~ lognormal(log(offset_pSTAT5_long + pSTAT5*scale_pSTAT5_long"
        + "/init_STAT5), (sd_STAT5_au + 0)*log(10))"), ode);
    assertTrue(ode.contains("param init_EpoRJAK2 = 3.97622379188569 in [0.001, 1000] scale log10"), ode);
    assertTrue(ode.contains("const CISRNAEqc = 1"), "estimate = 0: a const\n" + ode);
    assertEquals(1, r.warnings().size(), "the parameterScaleNormal prior on log10 scale: " + r.warnings());
    String header = r.dataCsv().lines().findFirst().orElseThrow();
    assertTrue(header.startsWith("experiment,time,observable_CISRNA_foldA,"), header);
    assertEquals(r.dataCsv().lines().count() - 1, countRows(SHARED.resolve("Bachmann_MSB2011/measurementData_Bachmann_MSB2011.tsv")));
  }

  private static long countRows(Path tsv) {
    try {
      return Files.readAllLines(tsv).stream().skip(1).filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aSpeciesSetByAConditionStartsFromAnOverriddenConst(@TempDir Path dir) throws IOException {
    // Boehm with a second condition that starts STAT5A at 100 (NaN in the first: keep the model's value)
    Path y = broken(dir, "experimentalCondition_Boehm_JProteomeRes2014.tsv",
        t -> "conditionId\tconditionName\tSTAT5A\nmodel1_data1\tcondition1\tNaN\nhigh\thigh STAT5A\t100\n");
    String meas = Files.readString(dir.resolve(MEAS));
    Files.writeString(dir.resolve(MEAS), meas + (meas.endsWith("\n") ? "" : "\n")
        + "pSTAT5A_rel\t\thigh\t50\t10.0\t\tsd_pSTAT5A_rel\thigh\n");
    PetabImport.Result r = PetabImport.translate(y);
    assertTrue(r.odeText().contains("const STAT5A_init = 207.6*ratio  # initial value of STAT5A, set per condition"), r.odeText());
    assertTrue(r.odeText().contains("state STAT5A = STAT5A_init"), r.odeText());
    assertEquals(List.of("experiment,STAT5A_init", "model1_data1,", "high,100.0"), r.conditionsCsv().lines().toList());
    // the high experiment alone through the conditions file equals the model started at 100 by --set
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.writeString(out.resolve("m.ode"), r.odeText());
    Files.writeString(out.resolve("conditions.csv"), r.conditionsCsv());
    List<String> data = r.dataCsv().lines().filter(l -> l.startsWith("experiment") || l.startsWith("high,")).toList();
    Files.writeString(out.resolve("high.csv"), String.join("\n", data) + "\n");
    Files.writeString(out.resolve("plain.csv"), String.join("\n", data).replaceAll("(?m)^(experiment|high),", "") + "\n");
    Map<String, Double> viaConditions = grad("grad", out.resolve("m.ode").toString(), "--data", out.resolve("high.csv").toString(),
        "--conditions", out.resolve("conditions.csv").toString(), "--solver", "bdf");
    Map<String, Double> viaSet = grad("grad", out.resolve("m.ode").toString(), "--data", out.resolve("plain.csv").toString(),
        "--set", "STAT5A_init=100", "--solver", "bdf");
    Map<String, Double> unset = grad("grad", out.resolve("m.ode").toString(), "--data", out.resolve("plain.csv").toString(),
        "--solver", "bdf");
    assertEquals(viaSet.get("objective"), viaConditions.get("objective"), 1e-12);
    assertTrue(Math.abs(unset.get("objective") - viaSet.get("objective")) > 1e-3,
        "the override matters: " + unset.get("objective") + " vs " + viaSet.get("objective"));
  }

  /**
   * log10-transformed Laplace noise (PEtab) becomes loglaplace(log(h), b·ln 10): every Boehm
   * observable switched to it gives a different objective from linear Laplace noise, and its
   * gradient (through the noise parameters' b and the kinetic parameters' location) agrees with
   * central differences; the density itself is checked against scipy in DistributionsTest.
   */
  @Test
  void logTransformedLaplaceNoiseIsLogLaplace(@TempDir Path dir) throws IOException {
    Path y = broken(dir, "observables_Boehm_JProteomeRes2014.tsv", t -> t.replace("\tlin\tnormal", "\tlog10\tlaplace"));
    // the phosphorylated fractions are 0 at t = 0, where log h is -inf: the measurements from t > 0
    dropTimeZero(dir);
    PetabImport.Result r = PetabImport.translate(y);
    assertTrue(r.odeText().contains("~ loglaplace(log("), r.odeText());
    Path lin = broken(Files.createDirectory(dir.resolve("lin")), "observables_Boehm_JProteomeRes2014.tsv",
        t -> t.replace("\tlin\tnormal", "\tlin\tlaplace"));
    dropTimeZero(dir.resolve("lin"));
    Map<String, Double> logLaplace = grad("grad", y.toString(), "--rtol", "1e-10", "--atol", "1e-10");
    Map<String, Double> linLaplace = grad("grad", lin.toString(), "--rtol", "1e-10", "--atol", "1e-10");
    assertTrue(Math.abs(logLaplace.get("objective") - linLaplace.get("objective")) > 1,
        logLaplace.get("objective") + " vs " + linLaplace.get("objective"));
    for (String name : List.of("sd_pSTAT5A_rel", "k_phos", "Epo_degradation_BaF3")) {
      double v = nominal(y, name);
      double h = 1e-5 * v;
      double plus = grad("grad", y.toString(), "--rtol", "1e-12", "--atol", "1e-12", "--solver", "rodas5", "--set",
          name + "=" + (v + h)).get("objective");
      double minus = grad("grad", y.toString(), "--rtol", "1e-12", "--atol", "1e-12", "--solver", "rodas5", "--set",
          name + "=" + (v - h)).get("objective");
      double fd = (plus - minus) / (2 * h);
      double an = logLaplace.get(name);
      assertEquals(fd, an, 1e-4 * Math.max(1, Math.abs(an)), name);
    }
  }

  private static void dropTimeZero(Path dir) throws IOException {
    Path meas = dir.resolve(MEAS);
    List<String> keep = Files.readAllLines(meas).stream().filter(l -> !l.split("\t")[4].equals("0.0")).toList();
    Files.writeString(meas, String.join("\n", keep) + "\n");
  }

  /**
   * A condition cell holding a parameter id: Boehm's fixed ratio set to the estimated
   * Epo_degradation_BaF3 gives the objective of the same problem with that parameter's value written
   * as a number, and the parameter's gradient then also carries the path through ratio (against
   * central differences of the whole objective).
   */
  @Test
  void aConditionCellMayNameAParameter(@TempDir Path dir) throws IOException {
    String p = "Epo_degradation_BaF3";
    Path byId = broken(Files.createDirectory(dir.resolve("id")), "experimentalCondition_Boehm_JProteomeRes2014.tsv",
        t -> "conditionId\tconditionName\tratio\nmodel1_data1\tcondition1\t" + p + "\n");
    double v = nominal(byId, p);
    Path byNumber = broken(Files.createDirectory(dir.resolve("number")), "experimentalCondition_Boehm_JProteomeRes2014.tsv",
        t -> "conditionId\tconditionName\tratio\nmodel1_data1\tcondition1\t" + v + "\n");
    PetabImport.Result r = PetabImport.translate(byId);
    assertTrue(r.odeText().contains("ratio_by_" + p + "*" + p), r.odeText());
    assertEquals(List.of("experiment,ratio_value,ratio_by_" + p, "model1_data1,0,1"), r.conditionsCsv().lines().toList());
    Map<String, Double> id = grad("grad", byId.toString(), "--rtol", "1e-10", "--atol", "1e-10");
    Map<String, Double> number = grad("grad", byNumber.toString(), "--rtol", "1e-10", "--atol", "1e-10");
    assertEquals(number.get("objective"), id.get("objective"), 1e-9 * Math.abs(number.get("objective")));
    double h = 1e-4 * v;
    double plus = grad("grad", byId.toString(), "--rtol", "1e-12", "--atol", "1e-12", "--solver", "rodas5", "--set",
        p + "=" + (v + h)).get("objective");
    double minus = grad("grad", byId.toString(), "--rtol", "1e-12", "--atol", "1e-12", "--solver", "rodas5", "--set",
        p + "=" + (v - h)).get("objective");
    double fd = (plus - minus) / (2 * h);
    assertEquals(fd, id.get(p), 1e-4 * Math.abs(fd));
    assertTrue(Math.abs(id.get(p) - number.get(p)) > 0.1 * Math.abs(fd), "the path through ratio counts");
  }

  /** A parameter's nominal value from a problem's parameter table. */
  static double nominal(Path yaml, String id) throws IOException {
    for (String line : Files.readAllLines(yaml.resolveSibling("parameters_Boehm_JProteomeRes2014.tsv"))) {
      String[] cells = line.split("\t");
      if (cells[0].equals(id)) return Double.parseDouble(cells[5]);
    }
    throw new AssertionError("no parameter " + id);
  }

  // ---- bad input --------------------------------------------------------------------------

  /** A copy of Boehm's problem in dir with {@code file}'s text changed by {@code edit}. */
  static Path broken(Path dir, String file, java.util.function.UnaryOperator<String> edit) throws IOException {
    Path src = SHARED.resolve("Boehm_JProteomeRes2014");
    try (var s = Files.list(src)) {
      for (Path p : s.toList()) {
        String text = Files.readString(p);
        if (p.getFileName().toString().equals(file)) text = edit.apply(text);
        Files.writeString(dir.resolve(p.getFileName()), text);
      }
    }
    return dir.resolve("Boehm_JProteomeRes2014.yaml");
  }

  static String failure(Path yaml) {
    SbmlImportTest.Run r = SbmlImportTest.cli("grad", yaml.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    return r.err().strip();
  }

  private static final String MEAS = "measurementData_Boehm_JProteomeRes2014.tsv";

  @Test
  void aMissingRequiredColumnNamesTheFileAndTheColumn(@TempDir Path dir) throws IOException {
    Path y = broken(dir, MEAS, t -> t.replaceFirst("\ttime\t", "\tt_min\t"));
    String e = failure(y);
    assertTrue(e.startsWith(dir.resolve(MEAS) + ":1:1: error: the measurement table has no column 'time'"), e);
  }

  @Test
  void anUnknownObservableOrConditionIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path y = broken(dir, MEAS, t -> t.replaceFirst("\npSTAT5B_rel\t", "\npSTAT5b_rel\t"));
    String e = failure(y);
    assertTrue(e.startsWith(dir.resolve(MEAS) + ":18:1: error: observable 'pSTAT5b_rel' is not in the observable table "
        + "(did you mean 'pSTAT5B_rel'?)"), e);
    Path dir2 = Files.createDirectory(dir.resolve("2"));
    y = broken(dir2, MEAS, t -> t.replaceFirst("\tmodel1_data1\t66.36", "\tmodel1_data2\t66.36"));
    e = failure(y);
    assertTrue(e.matches(".*" + MEAS + ":3:\\d+: error: condition 'model1_data2' is not in the condition table.*"), e);
  }

  @Test
  void aLogScaleParameterWithANonPositiveBoundIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path y = broken(dir, "parameters_Boehm_JProteomeRes2014.tsv", t -> t.replace("k_phos\tk_{phos}\tlog10\t1E-05", "k_phos\tk_{phos}\tlog10\t0"));
    String e = failure(y);
    assertTrue(e.matches(".*parameters_Boehm_JProteomeRes2014.tsv:7:\\d+: error: parameter 'k_phos' is on log10 scale, "
        + "so its lower bound must be > 0, got 0"), e);
  }

  @Test
  void aNoiseParameterCountThatDiffersFromThePlaceholdersIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path y = broken(dir, MEAS, t -> t.replaceFirst("\tsd_pSTAT5A_rel\t", "\tsd_pSTAT5A_rel;2\t"));
    String e = failure(y);
    assertTrue(e.matches(".*" + MEAS + ":2:\\d+: error: noiseParameters of observable 'pSTAT5A_rel' gives 2 values "
        + "\\('sd_pSTAT5A_rel;2'\\), but its noise formula has 1 placeholder"), e);
  }

  @Test
  void aConditionThatWouldReinitialiseAPreequilibratedStateIsRefused(@TempDir Path dir) throws IOException {
    // STAT5A starts at 207.6*ratio; PEtab keeps its pre-equilibrated value when the condition sets ratio
    Path y = broken(dir, "experimentalCondition_Boehm_JProteomeRes2014.tsv",
        t -> "conditionId\tconditionName\tratio\nmodel1_data1\tcondition1\t0.5\npre\tpre\tNaN\n");
    String meas = Files.readString(dir.resolve(MEAS)).replaceAll("(?m)^(\\w+)\t\tmodel1_data1\t", "$1\tpre\tmodel1_data1\t");
    Files.writeString(dir.resolve(MEAS), meas);
    String e = failure(y);
    assertTrue(e.matches(".*experimentalCondition_Boehm_JProteomeRes2014.tsv:2:\\d+: error: condition 'model1_data1' sets "
        + "'ratio' after a pre-equilibration, and the initial value of state 'STAT5A' uses it.*"), e);
  }

  @Test
  void yamlThatDoesNotParseIsReportedAtItsLine(@TempDir Path dir) throws IOException {
    Path y = broken(dir, "Boehm_JProteomeRes2014.yaml", t -> t.replace("problems:", "problems: [\n  - x: {"));
    String e = failure(y);
    assertTrue(e.matches(".*Boehm_JProteomeRes2014.yaml:\\d+:\\d+: error: this YAML does not parse: .*"), e);
  }
}
