package dev.odec.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConditionsTest {
  static final Path DIR = Path.of("src/test/resources/infer");
  static final List<String> NAMES = List.of("k", "S0", "kcat", "W[1]", "W[2]");

  @TempDir Path tmp;

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private String error(String text) throws IOException {
    Path f = write("cond.csv", text);
    InputError e = assertThrows(InputError.class, () -> Conditions.read(f, NAMES));
    assertTrue(e.positioned());
    return e.getMessage().replace(f.toString(), "cond.csv");
  }

  @Test
  void overrides() {
    Conditions c = Conditions.read(DIR.resolve("cond.csv"), NAMES);
    assertTrue(c.has("ctrl"));
    assertTrue(c.has("drug"));
    assertFalse(c.has("other"));
    assertEquals(Map.of("S0", 1.0), c.overrides("ctrl"));
    assertEquals(List.of("k", "S0"), List.copyOf(c.overrides("drug").keySet()));
    assertEquals(Map.of("k", 0.5, "S0", 0.2), c.overrides("drug"));
    assertEquals(Map.of(), c.overrides("other"));
    assertEquals(List.of("ctrl", "drug"), c.experiments());
  }

  @Test
  void vectorComponentsAndQuotedIds() throws IOException {
    Conditions c = Conditions.read(write("c.csv", "\"W[1]\",experiment,W[2]\n1,\"dose, high\",2\n"), NAMES);
    assertEquals(Map.of("W[1]", 1.0, "W[2]", 2.0), c.overrides("dose, high"));
  }

  @Test
  void errors() throws IOException {
    assertEquals("cond.csv:1:12: error: column 'kact' is not a param or const of the model (did you mean 'kcat'?); "
        + "the model's params and consts are k, S0, kcat, W[1], W[2]", error("experiment,kact\na,1\n"));
    assertEquals("cond.csv:1:1: error: the conditions file has no 'experiment' column; it needs one naming the experiments "
        + "of the data file", error("k,S0\n1,2\n"));
    assertEquals("cond.csv:3:1: error: experiment 'a' appears twice (first at line 2)", error("experiment,k\na,1\na,2\n"));
    assertEquals("cond.csv:2:3: error: 'fast' in column 'k' is not a number", error("experiment,k\na,fast\n"));
    assertEquals("cond.csv:2:3: error: 'inf' in column 'k' is not a finite number; leave the cell empty to keep the model's "
        + "value", error("experiment,k\na,inf\n"));
    assertEquals("cond.csv:2:1: error: this row has no experiment id", error("experiment,k\n,1\n"));
    // The position of a short row is just after its last character.
    assertEquals("cond.csv:3:2: error: this row has 1 cell, but the header has 2 columns (experiment, k)",
        error("experiment,k\na,1\nb\n"));
    assertEquals("cond.csv:1:14: error: column 'k' appears twice in the header (also column 2)", error("experiment,k,k\na,1,2\n"));
    assertEquals("cond.csv:1:1: error: the conditions file has a header but no rows", error("experiment,k\n"));
    assertEquals("cond.csv:1:1: error: the conditions file is empty; it needs a header row with 'experiment' and the params "
        + "or consts it sets, then one row per experiment", error(""));
  }

  @Test
  void checkCovers() throws IOException {
    Conditions c = Conditions.read(DIR.resolve("cond.csv"), NAMES);
    c.checkCovers(DataSet.read(DIR.resolve("unordered.csv"), List.of("prey_obs", "pred_obs"), List.of("spikes")));

    Path data = write("data.csv", "time,experiment,y\n0,ctrl,1\n1,drug,2\n2, drugg ,3\n3,drugg,4\n");
    DataSet d = DataSet.read(data, List.of("y"), List.of());
    InputError e = assertThrows(InputError.class, () -> c.checkCovers(d));
    assertEquals(data + ":4:4: error: experiment 'drugg' has no row in the conditions file " + DIR.resolve("cond.csv")
        + " (did you mean 'drug'?); it has ctrl, drug", e.getMessage());

    Path single = write("single.csv", "# one experiment\ntime,y\n0,1\n");
    DataSet s = DataSet.read(single, List.of("y"), List.of());
    e = assertThrows(InputError.class, () -> c.checkCovers(s));
    assertEquals(single + ":2:1: error: the data file has no 'experiment' column, so the conditions file "
        + DIR.resolve("cond.csv") + " cannot apply to it; add an 'experiment' column with ids from ctrl, drug", e.getMessage());
  }
}
