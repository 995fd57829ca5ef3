package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `odec fit` and `odec profile` end to end: results against scipy, output files, bad input. */
class FitCliTest {
  private static final String EX = "examples/fit/";
  private static final String R = "src/test/resources/fit/";
  @TempDir Path dir;

  private static Map<String, Double> referenceOptima() throws IOException {
    Map<String, Double> m = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("bench/fit/reference_optima.csv"))) {
      if (line.startsWith("#") || line.startsWith("example,")) continue;
      String[] f = line.split(",");
      m.put(f[0], Double.parseDouble(f[1]));
    }
    return m;
  }

  private JsonObject fitJson(String... args) throws IOException {
    Path out = dir.resolve("fit" + System.identityHashCode(args) + ".json");
    String[] all = new String[args.length + 3];
    all[0] = "fit";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--out";
    all[args.length + 2] = out.toString();
    CliTest.Result r = CliTest.run(all);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("objective: "), r.out());
    return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
  }

  /** The best objective agrees with scipy's optimum of the same likelihood (bench/fit/scipy_reference.py). */
  @Test
  void bestObjectivesAgreeWithScipy() throws IOException {
    Map<String, Double> ref = referenceOptima();
    JsonObject enzyme = fitJson(EX + "enzyme.ode", "--data", EX + "enzyme_data.csv", "--conditions",
        EX + "enzyme_conditions.csv", "--starts", "3", "--rtol", "1e-9", "--atol", "1e-10");
    assertEquals(ref.get("enzyme"), enzyme.get("objective").getAsDouble(), 1e-6 * Math.abs(ref.get("enzyme")));
    JsonObject lv = fitJson(EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--starts", "3", "--rtol", "1e-9",
        "--atol", "1e-10");
    assertEquals(ref.get("lotka_volterra"), lv.get("objective").getAsDouble(), 1e-6 * Math.abs(ref.get("lotka_volterra")));
    assertEquals("ls", lv.get("optimizer").getAsString());
    assertEquals(3, lv.getAsJsonArray("starts").size());
    JsonObject s1 = lv.getAsJsonArray("starts").get(0).getAsJsonObject();
    for (String key : List.of("objective", "converged", "iterations", "evaluations", "exit", "time_s")) {
      assertTrue(s1.has(key), key);
    }
    assertTrue(lv.getAsJsonObject("standard_errors").get("alpha").getAsDouble() > 0);
    assertEquals(5, lv.getAsJsonArray("correlation").size());
  }

  /** --out-params feeds run and grad through --set @FILE; the fit JSON feeds grad the same way. */
  @Test
  void fittedParamsFeedRunAndGrad() throws IOException {
    Path params = dir.resolve("best.txt");
    Path json = dir.resolve("best.json");
    CliTest.Result r = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--starts", "2",
        "--out-params", params.toString(), "--out", json.toString());
    assertEquals(0, r.code(), r.err());
    double objective = JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("objective").getAsDouble();
    for (Path file : List.of(params, json)) {
      CliTest.Result g = CliTest.run("grad", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--set", "@" + file,
          "--method", "forward");
      assertEquals(0, g.code(), g.err());
      double at = Double.parseDouble(g.out().lines().toList().get(1).split(",")[1]);
      assertEquals(objective, at, 1e-6 * Math.abs(objective), "grad at the fitted params from " + file);
    }
    CliTest.Result run = CliTest.run("run", EX + "lotka_volterra.ode", "--t1", "1", "--set", "@" + params);
    assertEquals(0, run.code(), run.err());
    CliTest.Result bad = CliTest.run("run", EX + "lotka_volterra.ode", "--t1", "1", "--set", "@" + dir.resolve("none.txt"));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("cannot read"), bad.err());
  }

  @Test
  void plotsAndProfiles() throws IOException {
    Path svg = dir.resolve("fit.svg");
    CliTest.Result r = CliTest.run("fit", EX + "enzyme.ode", "--data", EX + "enzyme_data.csv", "--conditions",
        EX + "enzyme_conditions.csv", "--starts", "2", "--plot", svg.toString());
    assertEquals(0, r.code(), r.err());
    String text = Files.readString(svg);
    assertTrue(text.contains("<svg") && text.contains("experiment high_enzyme") && text.contains("waterfall"));
    Path csv = dir.resolve("p.csv");
    Path plot = dir.resolve("p.png");
    CliTest.Result p = CliTest.run("profile", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--param", "alpha",
        "--out", csv.toString(), "--plot", plot.toString());
    assertEquals(0, p.code(), p.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("param,value,objective", lines.get(0));
    assertTrue(lines.size() > 5);
    assertTrue(p.err().contains("alpha = "), p.err());
    assertTrue(Files.size(plot) > 1000);
  }

  @Test
  void badInput() {
    CliTest.Result fix = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--fix", "alpah");
    assertEquals(2, fix.code());
    assertTrue(fix.err().contains("unknown param 'alpah'") && fix.err().contains("did you mean 'alpha'"), fix.err());

    CliTest.Result column = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", R + "typo.csv");
    assertEquals(1, column.code());
    assertTrue(column.err().contains("typo.csv:1:6") && column.err().contains("'prey_ob'")
        && column.err().contains("did you mean 'prey_obs'"), column.err());

    CliTest.Result unobserved = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", R + "prey_only.csv", "--starts", "1",
        "--fix", "beta", "--fix", "delta", "--fix", "gamma");
    assertEquals(0, unobserved.code(), unobserved.err());
    assertTrue(unobserved.err().contains("warning: observable 'pred_obs' has no data"), unobserved.err());
    assertTrue(unobserved.out().contains("fixed: beta = 1.0, delta = 1.0, gamma = 1.0"), unobserved.out());

    CliTest.Result clamp = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--starts", "1",
        "--set", "alpha=50");
    assertEquals(0, clamp.code(), clamp.err());
    assertTrue(clamp.err().contains("the start value of 'alpha' (50.0) is outside its bounds [0.1, 10.0]; starting at 10.0"),
        clamp.err());

    CliTest.Result all = CliTest.run("fit", R + "bad_sigma.ode", "--data", R + "bad_sigma.csv", "--starts", "3");
    assertEquals(3, all.code(), all.err());
    assertTrue(all.err().contains("every start failed: 3 × invalid noise parameter"), all.err());

    CliTest.Result ls = CliTest.run("fit", R + "decay_rate.ode", "--data", R + "prey_only.csv", "--optimizer", "ls");
    assertEquals(1, ls.code(), ls.err()); // the data column does not exist in this model
    CliTest.Result opt = CliTest.run("fit", EX + "lotka_volterra.ode", "--data", EX + "lv_data.csv", "--optimizer", "bfgs");
    assertEquals(2, opt.code());
    assertTrue(opt.err().contains("did you mean 'lbfgs'"), opt.err());
  }

  /**
   * Bounds that exclude the nominal value (issue 8: a warning, and the start clamped): a warning
   * at the value in a model file, at the row of a PEtab parameter table; fit starts from the
   * nearest bound and says so.
   */
  @Test
  void boundsExcludingTheNominalValue() throws IOException {
    Path model = dir.resolve("outside.ode");
    Files.writeString(model, "model outside\nparam k = 50 in [0.1, 10] scale log\nstate x = 1\nd(x)/dt = -k * x\n"
        + "observe y ~ normal(x, 0.1)\n");
    Path data = dir.resolve("outside.csv");
    Files.writeString(data, "time,y\n1,0.5\n2,0.3\n");
    CliTest.Result r = CliTest.run("fit", model.toString(), "--data", data.toString(), "--starts", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("outside.ode:2:11: warning: the value 50 of param 'k' is outside its bounds [0.1, 10]"),
        r.err());
    assertTrue(r.err().contains("the start value of 'k' (50.0) is outside its bounds [0.1, 10.0]; starting at 10.0"), r.err());

    Path petab = dir.resolve("boehm");
    Path source = Path.of("src/test/resources/petab/Boehm_JProteomeRes2014");
    Files.createDirectories(petab);
    try (var files = Files.list(source)) {
      for (Path f : files.toList()) Files.copy(f, petab.resolve(f.getFileName()));
    }
    Path table = petab.resolve("parameters_Boehm_JProteomeRes2014.tsv");
    Files.writeString(table, Files.readString(table).replace("\t0.026982514033029\t", "\t1000000\t"));
    CliTest.Result p = CliTest.run("check", petab.resolve("Boehm_JProteomeRes2014.yaml").toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.err().contains("parameters_Boehm_JProteomeRes2014.tsv:2")
        && p.err().contains("the nominal value 1000000 of 'Epo_degradation_BaF3' is outside its bounds"), p.err());
  }

  /**
   * Ctrl-C in a real process: odec fit runs in its own JVM, gets SIGINT after its first start
   * has finished, and must stop the running start, skip the rest, write the best result so far
   * to --out, say so, and exit with 130.
   */
  @Test
  void interruptWritesTheBestSoFar() throws Exception {
    Path out = dir.resolve("interrupted.json");
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process proc = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "dev.odec.cli.Main", "fit",
        "src/test/resources/petab/Boehm_JProteomeRes2014/Boehm_JProteomeRes2014.yaml", "--starts", "200", "--threads",
        "1", "--progress", "--out", out.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    StringBuilder err = new StringBuilder();
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(proc.getErrorStream()))) {
      String line;
      boolean sent = false;
      while ((line = reader.readLine()) != null) {
        err.append(line).append('\n');
        if (!sent && line.startsWith("odec: 1/200")) {
          Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(proc.pid())).inheritIO().start();
          assertEquals(0, kill.waitFor());
          sent = true;
        }
      }
    } finally {
      if (!proc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) proc.destroyForcibly();
    }
    assertEquals(FitCommand.INTERRUPTED, proc.exitValue(), err.toString());
    assertTrue(err.toString().contains("odec: interrupted; the best result so far is written to " + out), err.toString());
    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    int finished = 0;
    int skipped = 0;
    for (var s : json.getAsJsonArray("starts")) {
      JsonObject start = s.getAsJsonObject();
      if (!start.get("objective").isJsonNull()) finished++;
      else if (start.get("exit").getAsString().equals("not started")) skipped++;
    }
    assertTrue(finished >= 1 && skipped > 150, finished + " finished, " + skipped + " not started");
    assertEquals(1, json.get("best_start").getAsInt(), "the nominal start, finished before the interrupt, is the best");
    assertTrue(json.get("objective").getAsDouble() < 138.2230, json.get("objective").toString());
  }
}
