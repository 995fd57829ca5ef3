package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odec run --backend nd4j end to end: single runs and ensembles (all members in one batch, each with
 * its own step-size control) against the JVM backend's single solves, and what it refuses.
 */
class Nd4jCliTest {
  @TempDir Path dir;

  Path model(String text) throws Exception {
    Path f = dir.resolve("m.ode");
    Files.writeString(f, text);
    return f;
  }

  /** Row by row, every number equal to 1e-12 relative to the row's largest (norm-wise). */
  static void sameCsv(String want, String got) {
    List<String> x = want.lines().toList();
    List<String> y = got.lines().toList();
    assertEquals(x.size(), y.size());
    assertEquals(x.get(0), y.get(0));
    for (int i = 1; i < x.size(); i++) {
      String[] u = x.get(i).split(",");
      String[] v = y.get(i).split(",");
      double norm = 0;
      for (String c : u) norm = Math.max(norm, Math.abs(Double.parseDouble(c)));
      for (int c = 0; c < u.length; c++) {
        assertEquals(Double.parseDouble(u[c]), Double.parseDouble(v[c]), 1e-12 * norm, "row " + i + ": " + x.get(i)
            + " vs " + y.get(i));
      }
    }
  }

  @Test
  void ensemblesAgreeWithTheJvmsSingleSolves() {
    String[] common = {"run", "examples/lotka_volterra.ode", "--t1", "8", "--ensemble", "40", "--seed", "5", "--solver",
        "dopri5", "--saveat", "0:0.5:8"};
    CliTest.Result jvm = CliTest.run(concat(common, "--backend", "jvm"));
    CliTest.Result nd4j = CliTest.run(concat(common, "--backend", "nd4j", "--stats"));
    assertEquals(0, jvm.code(), jvm.err());
    assertEquals(0, nd4j.code(), nd4j.err());
    sameCsv(jvm.out(), nd4j.out());
    assertTrue(nd4j.err().contains("members: 40") && nd4j.err().contains("backend: nd4j"), nd4j.err());
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void runOnTheNd4jBackendAgreesWithTheJvm() throws Exception {
    CliTest.Result a = CliTest.run("run", "examples/neural.ode", "--t1", "5", "--solver", "dopri5", "--backend", "nd4j");
    CliTest.Result b = CliTest.run("run", "examples/neural.ode", "--t1", "5", "--solver", "dopri5", "--backend", "jvm");
    assertEquals(0, a.code(), a.err());
    sameCsv(b.out(), a.out());
    CliTest.Result stiff = CliTest.run("run", "examples/lotka_volterra.ode", "--t1", "5", "--solver", "bdf", "--backend",
        "nd4j");
    assertEquals(2, stiff.code());
    assertTrue(stiff.err().contains("explicit solvers"), stiff.err());
    Path switched = model("state x = 1\nd(x)/dt = if t < 1 then -x else x\n");
    CliTest.Result hybrid = CliTest.run("run", switched.toString(), "--t1", "2", "--backend", "nd4j");
    assertEquals(2, hybrid.code());
    assertTrue(hybrid.err().contains("events or switches"), hybrid.err());
  }
}
