package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** odec density and odec generate end to end: formats of CLI.md, round trips, exit codes and messages. */
class FlowCliTest {
  static final String LINEAR = """
      model lin
      param A: real[2, 2] = [[-0.3, 0.8], [-0.5, 0.2]]
      state x: real[2]
      flow x ~ normal(0, 1)
      d(x)/dt = A @ x
      """;

  @TempDir Path dir;

  Path model(String text) throws Exception {
    Path f = dir.resolve("m.ode");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aBatchTooLargeForTheHeapIsRefusedBeforeAllocating() throws Exception {
    Path m = model(LINEAR);
    CliTest.Result r = CliTest.run("generate", m.toString(), "--n", "1000000000000", "--t1", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("odec generate of 1,000,000,000,000 rows would need about "), r.err());
    assertTrue(r.err().contains("(half of this Java heap); solve fewer at a time"), r.err());
    // the points file is an input: never an output, even with --force
    Path pts = dir.resolve("pts.csv");
    Files.writeString(pts, "x[1],x[2]\n0.1,0.2\n");
    CliTest.Result same = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1", "--out",
        pts.toString(), "--force");
    assertEquals(2, same.code(), same.err());
    assertTrue(same.err().contains("it is an input of this run"), same.err());
  }

  @Test
  void generateThenDensityRoundTrips() throws Exception {
    Path m = model(LINEAR);
    CliTest.Result g = CliTest.run("generate", m.toString(), "--n", "20", "--t1", "1.5", "--seed", "4", "--rtol", "1e-10",
        "--atol", "1e-12");
    assertEquals(0, g.code(), g.err());
    List<String> lines = g.out().lines().toList();
    assertEquals("x[1],x[2],logp", lines.get(0));
    assertEquals(21, lines.size());
    Path pts = dir.resolve("pts.csv");
    Files.writeString(pts, g.out());
    CliTest.Result d = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1.5", "--rtol", "1e-10",
        "--atol", "1e-12");
    assertEquals(0, d.code(), d.err());
    List<String> back = d.out().lines().toList();
    assertEquals("x[1],x[2],logp", back.get(0)); // the input's logp column is replaced, not repeated
    for (int i = 1; i < lines.size(); i++) {
      String[] a = lines.get(i).split(",");
      String[] b = back.get(i).split(",");
      assertEquals(a[0], b[0]);
      // log p_T(x_T) = log p_0(x_0) - t tr A, the same whichever way it is integrated
      assertEquals(Double.parseDouble(a[2]), Double.parseDouble(b[2]), 1e-8, "row " + i);
    }
    // the same points with the ND4J backend and Hutchinson's estimator: for linear dynamics
    // εᵀAε is tr A plus an off-diagonal term of mean zero
    CliTest.Result h = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1.5", "--backend",
        "nd4j", "--trace", "hutchinson", "--seed", "2");
    assertEquals(0, h.code(), h.err());
    assertEquals(21, h.out().lines().count());
  }

  @Test
  void theSeedOfGenerateDoesNotChangeTheFlow() throws Exception {
    // weights drawn from their priors: generate --seed 3 and density (default seed) see the same ones
    Path m = model("""
        param W: real[2, 2] ~ normal(0, 1)
        state x: real[2]
        flow x ~ normal(0, 1)
        d(x)/dt = tanh(W @ x)
        """);
    CliTest.Result g = CliTest.run("generate", m.toString(), "--n", "5", "--t1", "1", "--seed", "3", "--rtol", "1e-10",
        "--atol", "1e-12");
    assertEquals(0, g.code(), g.err());
    Path pts = dir.resolve("pts.csv");
    Files.writeString(pts, g.out());
    CliTest.Result d = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1", "--rtol", "1e-10",
        "--atol", "1e-12");
    List<String> a = g.out().lines().toList();
    List<String> b = d.out().lines().toList();
    for (int i = 1; i < a.size(); i++) {
      assertEquals(Double.parseDouble(a.get(i).split(",")[2]), Double.parseDouble(b.get(i).split(",")[2]), 1e-7);
    }
  }

  @Test
  void densityKeepsOtherColumns() throws Exception {
    Path m = model(LINEAR);
    Path pts = dir.resolve("p.csv");
    Files.writeString(pts, "id,x[2],x[1]\na,0.5,0.25\nb,-1,2\n");
    CliTest.Result d = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "0");
    assertEquals(0, d.code(), d.err());
    List<String> lines = d.out().lines().toList();
    assertEquals("id,x[2],x[1],logp", lines.get(0));
    assertTrue(lines.get(1).startsWith("a,0.5,0.25,"));
    // at t1 = t0 the density is the base density: log N(0.25) + log N(0.5)
    double want = -Math.log(2 * Math.PI) - 0.5 * (0.25 * 0.25 + 0.5 * 0.5);
    assertEquals(want, Double.parseDouble(lines.get(1).split(",")[3]), 1e-14);
  }

  @Test
  void badInput() throws Exception {
    CliTest.Result r = CliTest.run("density", "examples/lorenz.ode", "--points", "nope.csv", "--t1", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("flow statement"), r.err());
    Path m = model(LINEAR);
    Path pts = dir.resolve("p.csv");
    Files.writeString(pts, "x[1]\n0.5\n");
    r = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("p.csv:1:1") && r.err().contains("missing x[2]") && r.err().contains("2 components"),
        r.err());
    Files.writeString(pts, "x[1],x[2]\n0.5,abc\n");
    r = CliTest.run("density", m.toString(), "--points", pts.toString(), "--t1", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("p.csv:2:5"), r.err());
    r = CliTest.run("generate", m.toString(), "--n", "3", "--t1", "1", "--plot", dir.resolve("p.svg").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(dir.resolve("p.svg")).contains("<svg"));
    r = CliTest.run("generate", m.toString(), "--n", "3", "--t1", "1", "--solver", "bdf");
    assertEquals(2, r.code());
    r = CliTest.run("generate", m.toString(), "--n", "3000000000", "--t1", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("GB"), r.err());
    Path relu = model("""
        state x: real[2]
        flow x ~ normal(0, 1)
        d(x)/dt = relu(x) - x
        """);
    r = CliTest.run("generate", relu.toString(), "--n", "3", "--t1", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("m.ode:3:") && r.err().contains("relu"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }
}
