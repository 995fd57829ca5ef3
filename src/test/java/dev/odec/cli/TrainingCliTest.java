package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** odec fit --optimizer adam with a loss curve, checkpoints and a resume, end to end. */
class TrainingCliTest {
  @TempDir Path dir;

  @Test
  void checkpointsResumeAndTheLossCurve() throws Exception {
    Path ck = dir.resolve("ck.txt");
    Path curve = dir.resolve("loss.csv");
    Path out1 = dir.resolve("a.json");
    Path out2 = dir.resolve("b.json");
    String[] base = {"fit", "examples/fit/lotka_volterra.ode", "--data", "examples/fit/lv_data.csv", "--optimizer", "adam",
        "--starts", "1", "--lr", "0.02", "--method", "forward"};
    CliTest.Result whole = CliTest.run(Nd4jCliTest.concat(base, "--epochs", "6", "--out", out1.toString()));
    assertEquals(0, whole.code(), whole.err());
    CliTest.Result part = CliTest.run(Nd4jCliTest.concat(base, "--epochs", "6", "--checkpoint", ck.toString(),
        "--checkpoint-every", "4", "--loss-curve", curve.toString(), "--time-limit", "1000"));
    assertEquals(0, part.code(), part.err());
    assertEquals(7, Files.readAllLines(curve).size());
    assertTrue(Files.readString(ck).startsWith("odec-adam-checkpoint 4 "));
    CliTest.Result resumed = CliTest.run(Nd4jCliTest.concat(base, "--epochs", "6", "--resume", ck.toString(), "--out",
        out2.toString()));
    assertEquals(0, resumed.code(), resumed.err());
    // the same optimum as the uninterrupted run, to the last digit
    assertEquals(line(out1, "\"parameters\""), line(out2, "\"parameters\""));
    assertEquals(line(out1, "\"objective\""), line(out2, "\"objective\""));
    CliTest.Result again = CliTest.run(Nd4jCliTest.concat(base, "--epochs", "6", "--loss-curve", curve.toString()));
    assertEquals(2, again.code(), "an existing loss curve is not replaced without --force");
    CliTest.Result many = CliTest.run("fit", "examples/fit/lotka_volterra.ode", "--data", "examples/fit/lv_data.csv",
        "--optimizer", "adam", "--starts", "3", "--checkpoint", dir.resolve("x").toString());
    assertEquals(2, many.code());
    assertTrue(many.err().contains("--starts 1"), many.err());
  }

  @Test
  void trainingFilesNeverReplaceAnInputOrAnotherOutput() throws Exception {
    Path data = dir.resolve("data.csv");
    Files.copy(Path.of("examples/fit/lv_data.csv"), data);
    String before = Files.readString(data);
    String[] base = {"fit", "examples/fit/lotka_volterra.ode", "--data", data.toString(), "--optimizer", "adam",
        "--starts", "1", "--epochs", "1", "--force"};
    CliTest.Result input = CliTest.run(Nd4jCliTest.concat(base, "--checkpoint", data.toString()));
    assertEquals(2, input.code(), input.err());
    assertTrue(input.err().contains("refusing to overwrite " + data + " with output: it is an input of this run"),
        input.err());
    CliTest.Result curve = CliTest.run(Nd4jCliTest.concat(base, "--loss-curve", data.toString()));
    assertEquals(2, curve.code(), curve.err());
    assertEquals(before, Files.readString(data));
    Path x = dir.resolve("x.json");
    CliTest.Result same = CliTest.run(Nd4jCliTest.concat(base, "--out", x.toString(), "--checkpoint", x.toString()));
    assertEquals(2, same.code(), same.err());
    assertTrue(same.err().contains("--out and --checkpoint name the same file"), same.err());
  }

  static String line(Path json, String key) throws Exception {
    return Files.readAllLines(json).stream().filter(l -> l.strip().startsWith(key)).findFirst().orElseThrow();
  }
}
