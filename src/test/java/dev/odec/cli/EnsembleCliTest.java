package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.odec.codegen.c.CHarness;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odec run --ensemble FILE|N} on the JVM and with {@code --backend c|cuda}, {@code odec
 * compile --emit c|cuda}, and their bad input, end to end through picocli.
 */
class EnsembleCliTest {
  private static final String CACHE = CHarness.CACHE.toString();

  private static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  private static void assertNoStackTrace(CliTest.Result r) {
    assertFalse(r.err().contains("\tat "), "stack trace in stderr:\n" + r.err());
  }

  private static double[] cells(String line) {
    String[] c = line.split(",");
    double[] v = new double[c.length];
    for (int i = 0; i < c.length; i++) v[i] = Double.parseDouble(c[i]);
    return v;
  }

  @Test
  void anEnsembleFileGivesOneBlockOfRowsPerMemberEqualToSingleRuns(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "alpha,beta\n1.2,\n0.8,1.1\n");
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "4", "--saveat", "0:2:4", "--ensemble", file.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("member,time,prey,pred", lines.get(0));
    assertEquals(1 + 2 * 3, lines.size());
    String[][] sets = {{"alpha=1.2"}, {"alpha=0.8", "beta=1.1"}};
    for (int m = 0; m < 2; m++) {
      List<String> args = new ArrayList<>(List.of("run", "examples/lotka_volterra.ode", "--t1", "4", "--saveat", "0:2:4"));
      for (String s : sets[m]) args.addAll(List.of("--set", s));
      List<String> single = run(args.toArray(new String[0])).out().lines().toList();
      for (int j = 0; j < 3; j++) assertEquals((m + 1) + "," + single.get(1 + j), lines.get(1 + 3 * m + j));
    }
  }

  @Test
  void drawnEnsemblesFollowTheSeed() {
    String[] base = {"run", "examples/sir.ode", "--t1", "50", "--saveat", "0,50", "--ensemble", "6"};
    CliTest.Result a = run(concat(base, "--seed", "3"));
    CliTest.Result b = run(concat(base, "--seed", "3"));
    CliTest.Result c = run(concat(base, "--seed", "4"));
    assertEquals(0, a.code(), a.err());
    assertEquals(1 + 6 * 2, a.out().lines().count());
    assertEquals(a.out(), b.out());
    assertNotEquals(a.out(), c.out());
    // the members differ: params drawn within their bounds
    List<String> lines = a.out().lines().toList();
    assertNotEquals(lines.get(2).substring(2), lines.get(4).substring(2));
  }

  @Test
  void ensembleStatsSumOverMembers() {
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "5", "--ensemble", "3", "--solver", "dopri5", "--stats");
    assertEquals(0, r.code(), r.err());
    for (String k : List.of("nfe: ", "steps: ", "wall_ms: ", "members: 3", "failed: 0", "steps_min: ", "steps_max: ")) {
      assertTrue(r.err().contains(k), "missing " + k + " in\n" + r.err());
    }
  }

  @Test
  void badEnsembleInput(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "alpah\n1.0\n");
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(file + ":1:1: error: column 'alpah' is not a param or const of the model (did you mean 'alpha'?)"),
        r.err());
    Files.writeString(file, "alpha,beta\n1.0,2\n1.0,x\n");
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(file + ":3:5: error: 'x' in column 'beta' is not a number"), r.err());
    Files.writeString(file, "alpha\n1.0\n");
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", file.toString(), "--set", "alpha=2");
    assertEquals(2, r.code());
    assertTrue(r.err().contains(file + ":2: the ensemble file sets 'alpha', which --set also sets"), r.err());
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", "0");
    assertEquals(2, r.code());
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", "2", "--plot", dir.resolve("p.svg").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--plot draws one trajectory"), r.err());
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--ensemble", dir.resolve("missing.csv").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no such file"), r.err());
    assertNoStackTrace(r);
  }

  @Test
  void aFailedMemberIsReportedAndItsRowsAreNaN(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("blowup.ode");
    Files.writeString(model, "model blowup\nparam a = 0.1\nstate x = 1\nd(x)/dt = a * x^2\n");
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "a\n0.1\n1.0\n0.2\n");
    for (String backend : List.of("jvm", "c")) {
      if (backend.equals("c")) CHarness.cc();
      CliTest.Result r = run("run", model.toString(), "--t1", "2", "--saveat", "0,2", "--ensemble", file.toString(),
          "--backend", backend, "--cache-dir", CACHE, "--stats");
      assertEquals(0, r.code(), backend + ": " + r.err());
      assertTrue(r.err().contains("odec: member 2 (" + file + ":3): numerical failure: "), r.err());
      assertTrue(r.err().contains("1 of 3 members failed"), r.err());
      assertTrue(r.err().contains("failed: 1"), r.err());
      List<String> lines = r.out().lines().toList();
      assertEquals("2,2.0,nan", lines.get(4), backend);
      assertEquals(1 / (1 - 0.2 * 2), cells(lines.get(6))[2], 1e-5, backend);
    }
    Files.writeString(file, "a\n1.0\n2.0\n");
    CliTest.Result all = run("run", model.toString(), "--t1", "2", "--ensemble", file.toString());
    assertEquals(3, all.code(), "every member failed");
  }

  @Test
  void theCBackendGivesTheJvmsNumbers(@TempDir Path dir) throws IOException {
    CHarness.cc();
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "k1,k3\n0.04,1e4\n0.035,1.2e4\n");
    for (String model : List.of("examples/lotka_volterra.ode", "examples/stiff/robertson.ode")) {
      List<String> args = new ArrayList<>(List.of("run", model, "--t1", "40", "--saveat", "0:10:40", "--solver",
          model.contains("stiff") ? "rodas5" : "tsit5", "--atol", "1e-10", "--cache-dir", CACHE));
      if (model.contains("stiff")) args.addAll(List.of("--ensemble", file.toString()));
      CliTest.Result jvm = run(args.toArray(new String[0]));
      args.addAll(List.of("--backend", "c"));
      CliTest.Result c = run(args.toArray(new String[0]));
      assertEquals(0, c.code(), c.err());
      List<String> a = jvm.out().lines().toList();
      List<String> b = c.out().lines().toList();
      assertEquals(a.get(0), b.get(0));
      assertEquals(a.size(), b.size());
      for (int i = 1; i < a.size(); i++) {
        double[] x = cells(a.get(i));
        double[] y = cells(b.get(i));
        for (int k = 0; k < x.length; k++) assertEquals(x[k], y[k], 1e-10 * Math.max(1, Math.abs(x[k])), model + " row " + i);
      }
    }
  }

  @Test
  void whatTheNativeBackendsCannotDoIsAUsageError(@TempDir Path dir) throws IOException {
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--backend", "c", "--solver", "bdf");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no bdf solver"), r.err());
    Path model = dir.resolve("switch.ode");
    Files.writeString(model, "model switching\nstate x = 1\nd(x)/dt = -max(x, 0.5)\n");
    r = run("run", model.toString(), "--t1", "1", "--backend", "c");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("do not handle events or switching conditions") && r.err().contains("1 switching condition"),
        r.err());
    // the JVM's ensemble goes through the switch: x' = -x until x = 1/2 at t = ln 2, then x' = -1/2
    r = run("run", model.toString(), "--t1", "1", "--saveat", "0,1", "--ensemble", "2", "--rtol", "1e-10", "--atol", "1e-12");
    assertEquals(0, r.code(), r.err());
    assertEquals(0.5 - 0.5 * (1 - Math.log(2)), cells(r.out().lines().toList().get(2))[2], 1e-8);
    r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--backend", "cuda", "--nvcc", dir.resolve("nvcc").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--nvcc " + dir.resolve("nvcc") + ": no such executable file"), r.err());
    r = run("grad", "examples/lotka_volterra.ode", "--data", "src/test/resources/grad/lv_data.csv", "--backend", "c");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("grad runs on the jvm backend"), r.err());
    r = run("fit", "examples/lotka_volterra.ode", "--data", "src/test/resources/grad/lv_data.csv", "--backend", "cuda");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("fitting runs on the jvm backend"), r.err());
    assertNoStackTrace(r);
  }

  @Test
  void cudaWithoutAGpuSaysWhatIsMissing() {
    assumeTrue(onPath("nvidia-smi") == null, "this machine has nvidia-smi: the no-GPU message cannot be checked here");
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--backend", "cuda", "--cache-dir", CACHE);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(onPath("nvcc") == null ? "needs nvcc" : "needs an NVIDIA GPU"), r.err());
    assertNoStackTrace(r);
  }

  @Test
  void aCompileErrorIsAnInternalErrorWithTheKeptSource(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("broken-cc");
    Files.writeString(fake, "#!/bin/sh\necho 'model.c:1:1: error: something odec got wrong' >&2\nexit 1\n");
    assumeTrue(fake.toFile().setExecutable(true), "cannot make a script executable here");
    CliTest.Result r = run("run", "examples/lotka_volterra.ode", "--t1", "1", "--backend", "c", "--cc", fake.toString(),
        "--cache-dir", dir.resolve("cache").toString());
    assertEquals(4, r.code(), r.err());
    assertTrue(r.err().contains("the generated code does not compile"), r.err());
    assertTrue(r.err().contains("something odec got wrong"), r.err());
    String kept = r.err().replaceAll("(?s).*the source is kept at (\\S+)\\).*", "$1");
    assertTrue(Files.isRegularFile(Path.of(kept)), "kept source " + kept);
    assertNoStackTrace(r);
  }

  @Test
  void emitCIsAProgramThatCompilesAndRuns(@TempDir Path dir) throws Exception {
    CliTest.Result r = run("compile", "examples/lotka_volterra.ode", "--emit", "c", "--solver", "dopri5");
    assertEquals(0, r.code(), r.err());
    for (String fn : List.of("od_rhs", "od_initial", "od_jac", "od_jac_dense", "od_vjp", "od_adjoint", "od_sensitivity", "od_rk_solve", "int main")) {
      assertTrue(r.out().contains(fn), fn);
    }
    CHarness.cc();
    Path src = dir.resolve("lv.c");
    Files.writeString(src, r.out());
    Path bin = dir.resolve("lv");
    Process cc = new ProcessBuilder(CHarness.cc().compiler().toString(), "-O2", "-o", bin.toString(), src.toString(), "-lm")
        .redirectErrorStream(true).start();
    String msg = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, cc.waitFor(), msg);
    Process p = new ProcessBuilder(bin.toString(), "--bench", "5").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("members=5") && out.contains("failed=0"), out);
    CliTest.Result cuda = run("compile", "examples/stiff/robertson.ode", "--emit", "cuda");
    assertEquals(0, cuda.code(), cuda.err());
    assertTrue(cuda.out().contains("__global__ void od_kernel") && cuda.out().contains("od_ros_solve"));
    CliTest.Result bdf = run("compile", "examples/stiff/robertson.ode", "--emit", "c", "--solver", "bdf");
    assertEquals(2, bdf.code());
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static Path onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) return Path.of(d, name);
    }
    return null;
  }
}
