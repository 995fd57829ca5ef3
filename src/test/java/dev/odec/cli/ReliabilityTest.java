package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests of issue 13 (reliability and security), one or more per fault, end to end
 * through the CLI: imports cannot read or probe files outside the model's folders; outputs never
 * replace a device, an input, a file that appeared meanwhile or a file's links and permissions,
 * and leave nothing behind; every resource limit and user mistake is a clear error with the
 * right exit code, never an internal error.
 */
class ReliabilityTest {
  private static final String LV = "examples/lotka_volterra.ode";
  private static final String SECRET = "hunter2";

  private static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  private static void assertClean(CliTest.Result r) {
    assertFalse(r.err().contains("\tat "), "stack trace:\n" + r.err());
    assertFalse(r.err().contains("Exception"), "exception:\n" + r.err());
    assertFalse(r.err().contains("internal error"), "internal error:\n" + r.err());
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, text);
  }

  private static final String DECAY = "state x = 1\nd(x)/dt = -x\n";

  // ---- imports ---------------------------------------------------------------------------------

  @Test
  void anImportOfAFileThatIsNotAModelIsRefusedWithoutReadingIt(@TempDir Path dir) throws IOException {
    write(dir.resolve("secret/.env"), "PASSWORD=" + SECRET + "\n");
    Path model = write(dir.resolve("m/model.ode"), "import \"../secret/.env\"\n" + DECAY);
    CliTest.Result r = run("check", model.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("imported files are .ode models"), r.err());
    assertFalse(r.err().contains(SECRET), r.err());
    assertClean(r);
  }

  @Test
  void anImportOutsideTheModelsFolderIsRefusedAlikeWhetherItExistsOrNot(@TempDir Path dir) throws IOException {
    write(dir.resolve("secret/a.ode"), "PASSWORD=" + SECRET + "\n");
    Path there = write(dir.resolve("m/there.ode"), "import \"../secret/a.ode\"\n" + DECAY);
    Path missing = write(dir.resolve("m/missing.ode"), "import \"../secret/b.ode\"\n" + DECAY);
    CliTest.Result a = run("check", there.toString());
    CliTest.Result b = run("check", missing.toString());
    assertEquals(1, a.code(), a.err());
    assertEquals(1, b.code(), b.err());
    assertFalse(a.err().contains(SECRET), a.err());
    // no existence oracle: the two messages differ only in the names
    assertEquals(a.err().replace("there", "X").replace("a.ode", "Y"), b.err().replace("missing", "X").replace("b.ode", "Y"));
    assertTrue(a.err().contains("--import-path"), a.err());
    // an absolute path is no way around it
    Path abs = write(dir.resolve("m/abs.ode"), "import \"" + dir.resolve("secret/a.ode") + "\"\n" + DECAY);
    CliTest.Result c = run("check", abs.toString());
    assertEquals(1, c.code(), c.err());
    assertFalse(c.err().contains(SECRET), c.err());
  }

  @Test
  void aLinkToAFileOutsideIsRefusedAndImportPathWidensThePolicy(@TempDir Path dir) throws IOException {
    write(dir.resolve("lib/rates.ode"), "fn twice(u) = 2 * u\n");
    Files.createDirectories(dir.resolve("m/sub"));
    Files.createSymbolicLink(dir.resolve("m/sub/rates.ode"), dir.resolve("lib/rates.ode"));
    Path viaLink = write(dir.resolve("m/link.ode"), "import \"sub/rates.ode\"\nstate x = 1\nd(x)/dt = -twice(x)\n");
    CliTest.Result r = run("check", viaLink.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("is a link to a file outside"), r.err());
    Path direct = write(dir.resolve("m/direct.ode"), "import \"../lib/rates.ode\"\nstate x = 1\nd(x)/dt = -twice(x)\n");
    assertEquals(1, run("check", direct.toString()).code());
    CliTest.Result widened = run("check", direct.toString(), "--import-path", dir.resolve("lib").toString());
    assertEquals(0, widened.code(), widened.err());
    assertEquals(0, run("check", viaLink.toString(), "--import-path", dir.resolve("lib").toString()).code());
  }

  // ---- outputs: nothing lost or replaced -------------------------------------------------------

  private static int fileType(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
  }

  @Test
  void aCharacterDeviceIsWrittenInPlaceNotReplaced() throws IOException {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull));
    CliTest.Result r = run("run", LV, "--t1", "1", "--out", "/dev/null", "--force");
    assertEquals(0, r.code(), r.err());
    assertEquals(0020000, fileType(devNull), "/dev/null must still be a character device");
    assertEquals(0, run("run", LV, "--t1", "1", "--out", "/dev/null").code(), "a device replaces nothing: no --force needed");
  }

  @Test
  void aPipeIsWrittenInPlace(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("pipe.csv");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
    ExecutorService reader = Executors.newSingleThreadExecutor();
    Future<String> got = reader.submit(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    });
    CliTest.Result r = run("run", LV, "--t1", "1", "--out", fifo.toString(), "--force");
    assertEquals(0, r.code(), r.err());
    assertEquals(102, got.get().lines().count());
    reader.shutdown();
    assertEquals(0010000, fileType(fifo), "the pipe must still be a pipe");
    assertNoTemporaryFiles(dir);
  }

  private static void assertNoTemporaryFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> left = s.filter(p -> p.getFileName().toString().startsWith(".odec-")).toList();
      assertTrue(left.isEmpty(), "left behind: " + left);
    }
  }

  @Test
  void aFileThatAppearsWhileOdecWritesIsNotReplaced(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("out.csv");
    OutputFiles.Output o = OutputFiles.open(target, false, List.of());
    o.writer().write("ours\n");
    Files.writeString(target, "theirs\n");
    InputError e = assertThrows(InputError.class, o::commit);
    assertTrue(e.getMessage().contains("appeared while odec was writing it"), e.getMessage());
    assertEquals("theirs\n", Files.readString(target));
    assertNoTemporaryFiles(dir);
  }

  @Test
  void ofRunsRacingForOneOutputExactlyOneWins(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("race.csv");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<CliTest.Result>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String t1 = Integer.toString(5 + i);
      runs.add(pool.submit(() -> run("run", LV, "--t1", t1, "--out", target.toString())));
    }
    int won = 0;
    for (Future<CliTest.Result> f : runs) {
      CliTest.Result r = f.get();
      assertClean(r);
      if (r.code() == 0) won++;
      else assertEquals(2, r.code(), r.err());
    }
    pool.shutdown();
    assertEquals(1, won, "exactly one run writes the file; the others say why not");
    assertNoTemporaryFiles(dir);
  }

  @Test
  void outAndPlotThroughASymlinkedFolderAreOneFile(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("real"));
    Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
    CliTest.Result r = run("run", LV, "--t1", "1", "--out", dir.resolve("real/x.svg").toString(),
        "--plot", dir.resolve("alias/x.svg").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("name the same file"), r.err());
  }

  @Test
  void everyInputOfTheRunIsProtectedEvenWithForce(@TempDir Path dir) throws IOException {
    Path data = Files.copy(Path.of("src/test/resources/grad/lv_data.csv"), dir.resolve("data.csv"));
    String before = Files.readString(data);
    CliTest.Result g = run("grad", LV, "--data", data.toString(), "--out", data.toString(), "--force");
    assertEquals(2, g.code(), g.err());
    assertTrue(g.err().contains("it is an input of this run"), g.err());
    assertEquals(before, Files.readString(data));
    // a hard link to the model under another name
    Path model = Files.copy(Path.of(LV), dir.resolve("lv.ode"));
    Path link = Files.createLink(dir.resolve("lv.csv"), model);
    CliTest.Result r = run("run", model.toString(), "--t1", "1", "--out", link.toString(), "--force");
    assertEquals(2, r.code(), r.err());
    assertEquals(Files.readString(Path.of(LV)), Files.readString(model));
  }

  @Test
  void aPetabProblemsTablesAreInputsToo(@TempDir Path dir) throws IOException {
    Path src = Path.of("src/test/resources/petab/Boehm_JProteomeRes2014");
    try (Stream<Path> s = Files.list(src)) {
      for (Path f : s.toList()) Files.copy(f, dir.resolve(f.getFileName()));
    }
    Path table = dir.resolve("measurementData_Boehm_JProteomeRes2014.tsv");
    String before = Files.readString(table);
    CliTest.Result r = run("grad", dir.resolve("Boehm_JProteomeRes2014.yaml").toString(), "--out", table.toString(), "--force");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("it is an input of this run"), r.err());
    assertEquals(before, Files.readString(table));
  }

  @Test
  void anAbandonedOutputLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    try (OutputFiles.Output o = OutputFiles.open(dir.resolve("x.csv"), false, List.of())) {
      o.writer().write("partial");
    }
    assertNoTemporaryFiles(dir);
    assertFalse(Files.exists(dir.resolve("x.csv")));
  }

  /** SIGTERM (and Ctrl-C) while the output is being written: the JVM's shutdown removes the temporary file. */
  @Test
  void aSignalWhileWritingLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Path model = write(dir.resolve("wide.ode"), "state z: real[2000] = 1\nd(z)/dt = -z\n");
    String cp = System.getProperty("java.class.path");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        "-Djava.awt.headless=true", "dev.odec.cli.Main", "run", model.toString(), "--t1", "1", "--saveat", "0:0.0002:1",
        "--solver", "rk4", "--dt", "0.01", "--out", dir.resolve("wide.csv").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    boolean sawTemporary = false;
    for (int polls = 0; polls < 6000 && p.isAlive() && !sawTemporary; polls++) {
      try (Stream<Path> s = Files.list(dir)) {
        sawTemporary = s.anyMatch(f -> f.getFileName().toString().startsWith(".odec-"));
      }
      if (!sawTemporary) Thread.sleep(10);
    }
    assumeTrue(sawTemporary && p.isAlive(), "the run finished before it could be interrupted");
    p.destroy(); // SIGTERM
    p.waitFor();
    assertNoTemporaryFiles(dir);
    assertFalse(Files.exists(dir.resolve("wide.csv")), "an interrupted run writes no output");
  }

  @Test
  void newOutputsGetTheUmasksPermissionsAndForceKeepsModeAndLinks(@TempDir Path dir) throws IOException {
    Set<PosixFilePermission> umaskDefault = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe")));
    Path out = dir.resolve("a.csv");
    assertEquals(0, run("run", LV, "--t1", "1", "--out", out.toString()).code());
    assertEquals(umaskDefault, Files.getPosixFilePermissions(out));

    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createLink(dir.resolve("b.csv"), out);
    assertEquals(0, run("run", LV, "--t1", "2", "--out", out.toString(), "--force").code());
    assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(out));
    assertTrue(Files.isSameFile(out, link), "the hard link must still be the same file");
    assertTrue(Files.readString(link).lines().reduce((a, b) -> b).orElseThrow().startsWith("2.0,"));

    Path solo = dir.resolve("c.csv");
    Files.writeString(solo, "old");
    Files.setPosixFilePermissions(solo, PosixFilePermissions.fromString("rw-rw-r--"));
    assertEquals(0, run("run", LV, "--t1", "1", "--out", solo.toString(), "--force").code());
    assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(solo));
    assertNoTemporaryFiles(dir);
  }

  // ---- errors, not internal errors ---------------------------------------------------------------

  @Test
  void anUnwritableOutputIsAUsageErrorNamingTheReason(@TempDir Path dir) throws IOException {
    CliTest.Result proc = run("run", LV, "--t1", "1", "--out", "/proc/odec-test.csv");
    assertEquals(2, proc.code(), proc.err());
    assertTrue(proc.err().startsWith("odec: error: cannot write /proc/odec-test.csv"), proc.err());
    assertClean(proc);
    CliTest.Result longName = run("run", LV, "--t1", "1", "--out", dir.resolve("x".repeat(300) + ".csv").toString());
    assertEquals(2, longName.code(), longName.err());
    assertTrue(longName.err().contains("cannot write"), longName.err());
    assumeTrue(Files.exists(Path.of("/dev/full")));
    CliTest.Result full = run("run", LV, "--t1", "1", "--out", "/dev/full");
    assertEquals(2, full.code(), full.err());
    assertTrue(full.err().contains("No space left on device"), full.err());
    Path png = Files.createSymbolicLink(dir.resolve("plot.png"), Path.of("/dev/full"));
    CliTest.Result plot = run("run", LV, "--t1", "1", "--plot", png.toString(), "--out", dir.resolve("a.csv").toString());
    assertEquals(2, plot.code(), plot.err());
    assertTrue(plot.err().contains("No space left on device"), plot.err());
    assertClean(plot);
  }

  /** A writer that remembers its largest single write: a streamed CSV writes a row at a time. */
  private static final class LargestWrite extends Writer {
    int largest;
    long total;

    @Override
    public void write(char[] buf, int off, int len) {
      largest = Math.max(largest, len);
      total += len;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void theCsvIsStreamedRowByRowNotBuiltInMemory() {
    LargestWrite sink = new LargestWrite();
    int code = Main.execute(new String[] {"run", LV, "--t1", "10", "--saveat", "0:0.01:10"}, new PrintWriter(sink),
        new PrintWriter(new StringWriter()));
    assertEquals(0, code);
    assertTrue(sink.total > 30_000, "total " + sink.total);
    assertTrue(sink.largest < 200, "largest single write " + sink.largest + " of " + sink.total);
  }

  @Test
  void inputsOverTheirSizeLimitAreRefused(@TempDir Path dir) throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    CliTest.Result model = run("check", "/dev/zero");
    assertEquals(2, model.code(), model.err());
    assertTrue(model.err().contains("larger than the 16 MB odec reads as a model"), model.err());
    CliTest.Result data = run("grad", LV, "--data", "/dev/zero");
    assertEquals(1, data.code(), data.err());
    assertTrue(data.err().contains("larger than the 64 MB odec reads as a data file"), data.err());
    Path huge = dir.resolve("huge.ode");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: takes no disk space
    }
    CliTest.Result big = run("check", huge.toString());
    assertEquals(2, big.code(), big.err());
    assertTrue(big.err().contains("(3.0 GB)"), big.err());
    Path importer = write(dir.resolve("importer.ode"), "import \"huge.ode\"\n" + DECAY);
    CliTest.Result imp = run("check", importer.toString());
    assertEquals(1, imp.code(), imp.err());
    assertTrue(imp.err().contains("larger than the 16 MB"), imp.err());
    CliTest.Result cond = run("grad", LV, "--data", "src/test/resources/grad/lv_data.csv", "--conditions", huge.toString());
    assertEquals(1, cond.code(), cond.err());
    assertClean(cond);
  }

  /** A model whose every state depends on every other (its Jacobian is dense), cheap to compile. */
  private static String dense(int n) {
    return "state z: real[" + n + "] = 1\nd(z)/dt = -z + 0.001 * sum(z)\n";
  }

  @Test
  void jacobiansTooLargeToBuildAreRefusedWithTheEstimate(@TempDir Path dir) throws IOException {
    Path model = write(dir.resolve("dense.ode"), dense(3000));
    CliTest.Result jac = run("compile", model.toString(), "--emit", "jacobian");
    assertEquals(2, jac.code(), jac.err());
    assertTrue(jac.err().contains("the Jacobian of dense would have about 9,000,000 structurally non-zero entries "
        + "(dense of 3,000 x 3,000; about 8.4 GB to generate)"), jac.err());
    CliTest.Result bdf = run("run", model.toString(), "--t1", "1", "--solver", "bdf");
    assertEquals(2, bdf.code(), bdf.err());
    assertTrue(bdf.err().contains("the stiff solver's Jacobian of 'rhs' would have about 9,000,000"), bdf.err());
    assertTrue(bdf.err().contains("--solver tsit5"), bdf.err());
    CliTest.Result adj = run("compile", model.toString(), "--emit", "adjoint");
    assertEquals(2, adj.code(), adj.err());
    assertTrue(adj.err().contains("the adjoint system of dense printed in full would have about"), adj.err());
    for (CliTest.Result r : List.of(jac, bdf, adj)) assertClean(r);
  }

  /**
   * Found by the fuzzer: a Jacobian of 4 entries, each a sum of 100,000 terms, ran out of memory
   * while printing (each partial sum's text is built): refused from its measured size instead.
   */
  @Test
  void printsTooLargeToBuildAreRefused(@TempDir Path dir) throws IOException {
    Path model = write(dir.resolve("chain.ode"), "param w: real[100000] = 0.001\nstate z: real[2] = 1\n"
        + "d(z)/dt = -z + sum(w * z[1])\n");
    for (String emit : List.of("jacobian", "adjoint")) {
      CliTest.Result r = run("compile", model.toString(), "--emit", emit);
      assertEquals(2, r.code(), emit + ": " + r.err());
      assertTrue(r.err().contains("would build more than"), r.err());
      assertClean(r);
    }
    Path small = write(dir.resolve("small.ode"), "param w: real[300] = 0.001\nstate z: real[2] = 1\n"
        + "d(z)/dt = -z + sum(w * z[1])\n");
    CliTest.Result r = run("compile", small.toString(), "--emit", "jacobian");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("d(z[1])/d(z[1]) = "), r.out());
  }

  @Test
  void forwardSensitivitiesTooLargeAreRefusedWithTheAlternative(@TempDir Path dir) throws IOException {
    // 4,000 reactions, each with its own rate param: forward sensitivities would have 4,001
    // columns of 2,000 states (about 2·4,001·16,000 generated nodes: tens of GB)
    StringBuilder m = new StringBuilder();
    int species = 2000;
    for (int r = 0; r < 2 * species; r++) m.append("param k").append(r).append(" = 0.5\n");
    for (int i = 0; i < species; i++) m.append("state S").append(i).append(" = 1\n");
    for (int r = 0; r < 2 * species; r++) {
      int a = r % species;
      int b = (r < species ? a + 1 : a + 7) % species;
      m.append("reaction S").append(a).append(" -> S").append(b).append(" : k").append(r).append("*S").append(a).append('\n');
    }
    m.append("param sigma = 0.1\nobserve S0_obs ~ normal(S0, sigma)\n");
    Path model = write(dir.resolve("net.ode"), m.toString());
    Path data = write(dir.resolve("data.csv"), "time,S0_obs\n1,0.5\n2,0.3\n");
    CliTest.Result r = run("grad", model.toString(), "--data", data.toString(), "--method", "forward");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("forward sensitivities of 4,001 parameter components"), r.err());
    assertTrue(r.err().contains("--method checkpoint"), r.err());
  }

  @Test
  void aSolutionTooLargeToHoldIsRefused(@TempDir Path dir) throws IOException {
    Path model = write(dir.resolve("wide.ode"), "state z: real[1000] = 1\nd(z)/dt = -z\n");
    CliTest.Result r = run("run", model.toString(), "--t1", "10", "--saveat", "0:0.000002:10");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("the solution at 5,000,001 output times of 1,000 states would need about 37.3 GB"), r.err());
  }

  @Test
  void nonFiniteDefaultsAreErrorsAtCheckTimeWithTheirPosition(@TempDir Path dir) throws IOException {
    Path model = write(dir.resolve("nf.ode"), "param a = 0\nparam k = 1/a\nstate x = 1\nd(x)/dt = -k*x\n");
    CliTest.Result r = run("check", model.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("nf.ode:2:7: error: the value of 'k' is Infinity"), r.err());
    Path literal = write(dir.resolve("lit.ode"), "param k = 1/0\nstate x = 0/0\nd(x)/dt = -k*x\n");
    CliTest.Result l = run("check", literal.toString());
    assertEquals(1, l.code(), l.err());
    assertTrue(l.err().contains("lit.ode:1:12: error: this constant expression evaluates to inf"), l.err());
    assertTrue(l.err().contains("lit.ode:2:12: error: this constant expression evaluates to nan"), l.err());
  }

  @Test
  void aByteOrderMarkStartsAModelLikeADataFile(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("bom.ode");
    Files.write(model, ("\uFEFF" + DECAY).getBytes(StandardCharsets.UTF_8));
    CliTest.Result r = run("check", model.toString());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void commandLineNumbersAreSpelledAsInModels() {
    for (String[] args : List.of(new String[] {"run", LV, "--t1", "1f"}, new String[] {"run", LV, "--t1", "0x1p3"},
        new String[] {"run", LV, "--t1", "NaN"}, new String[] {"run", LV, "--t1", "1", "--set", "alpha=1e-6d"},
        new String[] {"run", LV, "--t1", "1", "--rtol", "1e-6f"}, new String[] {"run", LV, "--t1", "1", "--saveat", "0:0x1p-2:1"})) {
      CliTest.Result r = run(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().contains("is not a"), r.err());
    }
    assertEquals(0, run("run", LV, "--t1", "1e0", "--set", "alpha=+1.5", "--saveat", ".5,1").code());
  }

  @Test
  void optionValuesThatCannotWorkAreNamed() {
    CliTest.Result tiny = run("run", LV, "--t1", "1", "--saveat", "0:1e-300:1");
    assertEquals(2, tiny.code(), tiny.err());
    assertTrue(tiny.err().contains("too many output times"), tiny.err());
    CliTest.Result window = run("grad", LV, "--data", "src/test/resources/grad/lv_data.csv", "--t0", "3", "--t1", "2");
    assertEquals(2, window.code(), window.err());
    assertTrue(window.err().contains("--t1 2.0 must come after --t0 3.0"), window.err());
    CliTest.Result rtol = run("run", LV, "--t1", "1", "--rtol", "1e-300");
    assertEquals(2, rtol.code(), rtol.err());
    assertTrue(rtol.err().contains("give at least 1.0E-15") || rtol.err().contains("give at least 1e-15"), rtol.err());
  }

  @Test
  void anObservationThatOverflowsTheObjectiveNamesItsRow(@TempDir Path dir) throws IOException {
    Path data = write(dir.resolve("d.csv"), "time,prey_obs,pred_obs\n1,1,1\n2,1e308,1\n");
    CliTest.Result r = run("grad", LV, "--data", data.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("d.csv:3:3: error: observable 'prey_obs' at time 2"), r.err());
  }

  /** Found by the fuzzer: the switches' modes in p had no names to print (an index error). */
  @Test
  void everyExamplesJacobianAndAdjointPrint() throws IOException {
    try (Stream<Path> s = Files.walk(Path.of("examples"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".ode")).sorted().toList()) {
        for (String emit : List.of("jacobian", "adjoint")) {
          CliTest.Result r = run("compile", p.toString(), "--emit", emit);
          assertEquals(0, r.code(), p + " --emit " + emit + ": " + r.err());
        }
      }
    }
  }

  @Test
  void anInterruptedFirstBuildSaysSo(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("checkout");
    for (String d : List.of("src/main", "grammar", "stdlib", "bin")) Files.createDirectories(root.resolve(d));
    Files.writeString(root.resolve("pom.xml"), "");
    Files.copy(Path.of("odec"), root.resolve("odec"));
    Path mvn = Files.writeString(root.resolve("bin/mvn"), "#!/bin/bash\nkill -INT $$\nsleep 5\n");
    mvn.toFile().setExecutable(true);
    root.resolve("odec").toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("odec").toString(), "check", "x.ode").redirectErrorStream(true);
    pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(130, p.waitFor(), out);
    assertTrue(out.contains("the build was interrupted"), out);
    assertFalse(out.contains("the build failed"), out);
  }
}
