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
}
