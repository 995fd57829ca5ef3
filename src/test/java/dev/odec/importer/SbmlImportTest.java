package dev.odec.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.cli.Main;
import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SBML to .ode: the translated models against closed-form solutions, their text, and the errors. */
class SbmlImportTest {
  private static final Path R = Path.of("src/test/resources/sbml");

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** The rows of a CSV as maps from column to value. */
  static List<Map<String, Double>> rows(String csv) {
    List<String> lines = csv.lines().toList();
    String[] head = lines.get(0).split(",");
    return lines.subList(1, lines.size()).stream().map(l -> {
      String[] c = l.split(",");
      Map<String, Double> m = new HashMap<>();
      for (int i = 0; i < head.length; i++) m.put(head[i], Double.parseDouble(c[i].replace("inf", "Infinity")));
      return m;
    }).toList();
  }

  @Test
  void compartmentsUnitsRulesAndLocalParametersFollowSbmlsMeaning(@TempDir Path dir) {
    Run imp = cli("import", R.resolve("constructs.xml").toString(), "--out", dir.toString());
    assertEquals(0, imp.code(), imp.err());
    Run run = cli("run", dir.resolve("constructs.ode").toString(), "--t1", "2", "--saveat", "1,2", "--derived",
        "--rtol", "1e-10", "--atol", "1e-12", "--solver", "dop853");
    assertEquals(0, run.code(), run.err());
    for (Map<String, Double> row : rows(run.out())) {
      double t = row.get("time");
      // A: initialAmount 4 in c1 (size 2) is the concentration 2; R1 = c1*kf*A with the local kf = 0.5
      assertEquals(2 * Math.exp(-0.5 * t), row.get("A"), 1e-9);
      // B: the amount R1 moves from c1 arrives in c2 (size 0.5), so its concentration rises 4 times faster
      assertEquals(8 * (1 - Math.exp(-0.5 * t)), row.get("B"), 1e-9);
      // C: an amount (hasOnlySubstanceUnits), fed by twice(k) = 0.6 and by 0.1*D from a boundary species
      assertEquals(1 + 0.9 * t, row.get("C"), 1e-9);
      assertEquals(3.0, row.get("D"), 0.0, "boundary species are not consumed");
      assertEquals(0.6 * Math.exp(-t), row.get("q"), 1e-9, "rate rule with an initial assignment");
      assertEquals(4.0, row.get("total"), 1e-9, "assignment rule: the conserved amount");
    }
  }

  @Test
  void importNeverReplacesAFileWithoutForce(@TempDir Path dir) throws IOException {
    Path ode = dir.resolve("constructs.ode");
    Files.writeString(ode, "# mine\n");
    Run r = cli("import", R.resolve("constructs.xml").toString(), "--out", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(ode + " already exists; pass --force to replace it"), r.err());
    assertEquals("# mine\n", Files.readString(ode));
    r = cli("import", R.resolve("constructs.xml").toString(), "--out", dir.toString(), "--force");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(ode).contains("model constructs"));
  }

  @Test
  void theTextKeepsTheModelsNamesAndSaysWhatChanged() {
    String ode = SbmlImport.translate(R.resolve("constructs.xml")).odeText();
    assertTrue(ode.contains("model constructs\n"), ode);
    assertTrue(ode.contains("# A hand-written model covering compartments, units and rules."), ode);
    assertTrue(ode.contains("const c1 = 2"), ode);
    assertTrue(ode.contains("state A = 4/c1  # substrate A; concentration in c1"), ode);
    assertTrue(ode.contains("state C = 1  # amount in c1"), ode);
    assertTrue(ode.contains("const R1_kf = 0.5  # local parameter 'kf' of reaction 'R1'"), ode);
    assertTrue(ode.contains("let R1 = c1*R1_kf*A  # A -> B"), ode);
    assertTrue(ode.contains("fn twice(x) = 2*x"), ode);
    assertTrue(ode.contains("d(B)/dt = R1/c2"), ode);
    assertTrue(ode.contains("d(C)/dt = R2 + R3"), ode);
    assertTrue(ode.contains("d(D)/dt = 0"), ode);
    assertTrue(ode.contains("const time_ = 7  # SBML id time"), "a reserved name is renamed: " + ode);
  }

  @Test
  void mathMlFunctionsAreWrittenWithTheLanguagesBuiltins(@TempDir Path dir) {
    Run imp = cli("import", R.resolve("functions.xml").toString(), "--out", dir.toString());
    assertEquals(0, imp.code(), imp.err());
    Run run = cli("run", dir.resolve("functions.ode").toString(), "--t1", "1", "--saveat", "0", "--derived");
    assertEquals(0, run.code(), run.err());
    Map<String, Double> r = rows(run.out()).get(0);
    double x = 0.7;
    double tol = 1e-15;
    assertEquals(1 / Math.cos(x), r.get("f_sec"), tol);
    assertEquals(Math.log(1.7 + Math.sqrt(1.7 * 1.7 - 1)), r.get("f_arccosh"), tol);
    assertEquals(Math.log(x + Math.sqrt(x * x + 1)), r.get("f_arcsinh"), tol);
    assertEquals(0.5 * Math.log((1 + x) / (1 - x)), r.get("f_arctanh"), tol);
    assertEquals(Math.log(x) / Math.log(2), r.get("f_log2"), tol);
    assertEquals(Math.pow(x, 1.0 / 3), r.get("f_root3"), tol);
    assertEquals(2.0, r.get("f_piecewise"), 0.0, "0 < x < 1 (an n-ary lt)");
    assertEquals(0.0, r.get("f_xor"), 0.0, "true xor true");
    assertEquals(1 / Math.tanh(x), r.get("f_coth"), tol);
    assertEquals(Math.atan(1 / x), r.get("f_arccot"), tol);
    assertEquals(5.0, r.get("f_rational"), 0.0, "1/4 times 2e1");
    assertEquals(1 - (x - Math.pow(x, -2)), r.get("f_minus"), tol, "grouping kept");
  }

  private static Path sbml(Path dir, String body) throws IOException {
    Path p = dir.resolve("m.xml");
    Files.writeString(p, "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "
        + "level=\"3\" version=\"2\">\n<model id=\"m\">\n"
        + "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/></listOfCompartments>\n"
        + "<listOfSpecies><species id=\"S\" compartment=\"c\" initialConcentration=\"1\" hasOnlySubstanceUnits=\"false\" "
        + "boundaryCondition=\"false\" constant=\"false\"/></listOfSpecies>\n"
        + "<listOfParameters><parameter id=\"k\" value=\"1\" constant=\"false\"/></listOfParameters>\n"
        + body + "\n</model>\n</sbml>\n");
    return p;
  }

  private static final String MATH = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">";

  private static String error(Path dir, String body) throws IOException {
    Path p = sbml(dir, body);
    return assertThrows(InputError.class, () -> SbmlImport.translate(p)).getMessage();
  }

  @Test
  void unsupportedConstructsNameTheElementAndItsId(@TempDir Path dir) throws IOException {
    String m = error(dir, "<listOfRules><algebraicRule metaid=\"alg1\">" + MATH + "<ci>k</ci></math></algebraicRule></listOfRules>");
    assertTrue(m.matches(".*m\\.xml:\\d+:\\d+: error: algebraicRule 'alg1' is not supported.*"), m);
    m = error(dir, "<listOfReactions><reaction id=\"r1\" fast=\"true\" reversible=\"false\"><kineticLaw>" + MATH
        + "<ci>k</ci></math></kineticLaw></reaction></listOfReactions>");
    assertTrue(m.contains("reaction 'r1' is fast"), m);
    m = error(dir, "<listOfRules><rateRule variable=\"k\">" + MATH + "<apply><csymbol encoding=\"text\" "
        + "definitionURL=\"http://www.sbml.org/sbml/symbols/delay\">delay</csymbol><ci>S</ci><cn>1</cn></apply>"
        + "</math></rateRule></listOfRules>");
    assertTrue(m.contains("rateRule 'k'") && m.contains("delay() is not supported"), m);
    m = error(dir, "<listOfRules><rateRule variable=\"c\">" + MATH + "<cn>1</cn></math></rateRule></listOfRules>");
    assertTrue(m.contains("compartment 'c' changes in time") && m.contains("variable compartments"), m);
    m = error(dir, "<listOfEvents><event id=\"e1\"><trigger initialValue=\"true\" persistent=\"true\">" + MATH
        + "<apply><gt/><ci>S</ci><cn>2</cn></apply></math></trigger><delay>" + MATH + "<cn>1</cn></math></delay>"
        + "</event></listOfEvents>");
    assertTrue(m.contains("event 'e1' has a delay"), m);
    m = error(dir, "<listOfEvents><event id=\"e2\"><trigger initialValue=\"false\" persistent=\"true\">" + MATH
        + "<apply><gt/><ci>S</ci><cn>2</cn></apply></math></trigger><listOfEventAssignments><eventAssignment "
        + "variable=\"S\">" + MATH + "<cn>1</cn></math></eventAssignment></listOfEventAssignments></event></listOfEvents>");
    assertTrue(m.contains("event 'e2' has initialValue=\"false\""), m);
    m = error(dir, "<listOfReactions><reaction id=\"r2\" reversible=\"false\"><listOfReactants><speciesReference "
        + "species=\"S\" stoichiometry=\"1\" constant=\"false\"/></listOfReactants><kineticLaw>" + MATH
        + "<ci>k</ci></math></kineticLaw></reaction></listOfReactions>");
    assertTrue(m.contains("in reaction 'r2' is variable"), m);
  }

  @Test
  void xmlThatIsNotWellFormedIsReportedAtTheParsersLineAndColumn(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("bad.xml");
    Files.writeString(p, "<?xml version=\"1.0\"?>\n<sbml level=\"3\" version=\"2\">\n  <model id=\"m\">\n    <oops>\n  </model>\n</sbml>\n");
    String m = assertThrows(InputError.class, () -> SbmlImport.translate(p)).getMessage();
    assertTrue(m.startsWith(p + ":5:"), m);
    assertTrue(m.contains("not well-formed XML"), m);
    Run r = cli("import", p.toString(), "--out", dir.resolve("o").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(p + ":5:"), r.err());
  }

  @Test
  void eventsAreWrittenAsTimeOrStateEventsAndRun(@TempDir Path dir) throws IOException {
    Path p = sbml(dir, "<listOfEvents>"
        + "<event id=\"dose\"><trigger initialValue=\"false\" persistent=\"true\">" + MATH
        + "<apply><geq/><csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"
        + "<cn>2</cn></apply></math></trigger><listOfEventAssignments><eventAssignment variable=\"S\">" + MATH
        + "<apply><plus/><ci>S</ci><cn>5</cn></apply></math></eventAssignment></listOfEventAssignments></event>"
        + "<event id=\"low\"><trigger initialValue=\"true\" persistent=\"true\">" + MATH
        + "<apply><lt/><ci>S</ci><cn>0.5</cn></apply></math></trigger><listOfEventAssignments>"
        + "<eventAssignment variable=\"k\">" + MATH + "<cn>0</cn></math></eventAssignment>"
        + "<eventAssignment variable=\"S\">" + MATH + "<apply><times/><ci>k</ci><cn>2</cn></apply></math></eventAssignment>"
        + "</listOfEventAssignments></event></listOfEvents>"
        + "<listOfReactions><reaction id=\"decay\" reversible=\"false\"><listOfReactants><speciesReference species=\"S\" "
        + "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><kineticLaw>" + MATH
        + "<apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw></reaction></listOfReactions>");
    String ode = SbmlImport.translate(p).odeText();
    assertTrue(ode.contains("\nat t = 2: S = S + 5  # event dose\n"), ode);
    assertTrue(ode.contains("\nwhen S < 0.5: k = 0, S = k*2  # event low\n"), ode);
    assertTrue(ode.contains("state k = 1  # parameter changed by events"), ode);
    assertTrue(ode.contains("d(k)/dt = 0"), ode);
    // S = exp(-t) until it falls below 0.5 at t = ln 2, where k = 0 and S = 2 (k read before the
    // event); the dose at t = 2 adds 5
    Files.writeString(dir.resolve("events.ode"), ode);
    Run run = cli("run", dir.resolve("events.ode").toString(), "--t1", "3", "--saveat", "0.5,1,3", "--rtol", "1e-10",
        "--atol", "1e-12");
    assertEquals(0, run.code(), run.err());
    List<Map<String, Double>> rows = rows(run.out());
    assertEquals(Math.exp(-0.5), rows.get(0).get("S"), 1e-8);
    assertEquals(2.0, rows.get(1).get("S"), 1e-8);
    assertEquals(0.0, rows.get(1).get("k"), 0.0);
    assertEquals(7.0, rows.get(2).get("S"), 1e-8);
  }
}
