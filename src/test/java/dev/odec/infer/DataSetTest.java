package dev.odec.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.infer.DataSet.Event;
import dev.odec.infer.DataSet.Observation;
import dev.odec.runtime.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetTest {
  static final Path DIR = Path.of("src/test/resources/infer");
  static final List<String> LV = List.of("prey_obs", "pred_obs");
  static final List<String> SPIKES = List.of("spikes");

  @TempDir Path tmp;

  private Path write(String text) throws IOException {
    Path f = tmp.resolve("data.csv");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  /** The message of the error that reading {@code text} as a data file gives. */
  private String error(String text, List<String> obs, List<String> rates) throws IOException {
    Path f = write(text);
    InputError e = assertThrows(InputError.class, () -> DataSet.read(f, obs, rates));
    assertTrue(e.positioned(), e.getMessage());
    assertEquals(InputError.Kind.INPUT, e.kind());
    return e.getMessage().replace(f.toString(), "data.csv");
  }

  private String error(String text) throws IOException {
    return error(text, LV, SPIKES);
  }

  @Test
  void readsASimpleFileWithCommentsBlanksAndMissingValues() {
    DataSet d = DataSet.read(DIR.resolve("lv.csv"), LV, List.of());
    assertEquals(List.of(""), d.experiments());
    assertEquals("src/test/resources/infer/lv.csv".replace('/', java.io.File.separatorChar), d.fileName());
    assertEquals(List.of(
        new Observation(0, 0, "prey_obs", 1.0, 3),
        new Observation(0, 1, "pred_obs", 1.0, 3),
        new Observation(0.5, 0, "prey_obs", 1.8, 4),
        new Observation(0.5, 1, "pred_obs", 0.6, 4),
        new Observation(1.0, 0, "prey_obs", 3.1, 6),
        new Observation(1.5, 1, "pred_obs", 0.4, 7)), d.observations(""));
    assertEquals(List.of(), d.events(""));
    assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5}, d.times(""));
    assertEquals(0.0, d.minTime());
    assertEquals(1.5, d.maxTime());
    d.checkWithin(0, 1.5);
  }

  @Test
  void unorderedRowsSharedTimesExperimentsAndEvents() {
    DataSet d = DataSet.read(DIR.resolve("unordered.csv"), LV, SPIKES);
    assertEquals(List.of("ctrl", "drug"), d.experiments());
    // Sorted by time; rows sharing a time keep their order in the file.
    assertEquals(List.of(
        new Observation(1.0, 0, "prey_obs", 1.5, 3),
        new Observation(1.0, 1, "pred_obs", 0.7, 3),
        new Observation(1.0, 0, "prey_obs", 1.6, 4),
        new Observation(1.0, 0, "prey_obs", 1.55, 8),
        new Observation(2.0, 0, "prey_obs", 2.5, 2)), d.observations("ctrl"));
    assertEquals(List.of(new Event(1.0, 0, "spikes", 3, 4)), d.events("ctrl"));
    assertEquals(List.of(
        new Observation(0.5, 0, "prey_obs", 0.9, 5),
        new Observation(0.5, 1, "pred_obs", 0.8, 5),
        new Observation(2.0, 1, "pred_obs", 1.1, 7)), d.observations("drug"));
    assertEquals(List.of(new Event(0.5, 0, "spikes", 1, 5)), d.events("drug"));
    assertArrayEquals(new double[] {1.0, 2.0}, d.times("ctrl"));
    assertArrayEquals(new double[] {0.5, 2.0}, d.times("drug"));
    assertEquals(0.5, d.minTime());
    assertEquals(2.0, d.maxTime());
    assertEquals(List.of(), d.observations("nope"));
  }

  @Test
  void vectorObservableColumnsQuotedHeaderAndCounts() {
    DataSet d = DataSet.read(DIR.resolve("vector.csv"), List.of("obs[1]", "obs[2]"), List.of("n"));
    assertEquals(List.of(
        new Observation(0, 0, "obs[1]", 1, 2),
        new Observation(0, 1, "obs[2]", 2, 2),
        new Observation(1, 0, "obs[1]", 1.5, 3)), d.observations(""));
    assertEquals(List.of(new Event(1, 0, "n", 2, 3)), d.events(""));
  }

  @Test
  void crlfLineEndsAndByteOrderMark() {
    assertEquals(2, DataSet.read(DIR.resolve("crlf.csv"), LV, List.of()).observations("").size());
    assertEquals(List.of(new Observation(0, 0, "prey_obs", 1, 2)),
        DataSet.read(DIR.resolve("bom.csv"), LV, List.of()).observations(""));
  }

  @Test
  void numbersInAllTheirSpellings() throws IOException {
    Path f = write("time,prey_obs\n-1.5e-3,.5\n+2,1.\n3,-2E+2\n");
    DataSet d = DataSet.read(f, LV, List.of());
    assertEquals(List.of(-1.5e-3, 2.0, 3.0), d.observations("").stream().map(Observation::time).toList());
    assertEquals(List.of(0.5, 1.0, -200.0), d.observations("").stream().map(Observation::value).toList());
  }

  @Test
  void rowsWithoutValuesStillCountForTheTimeRange() throws IOException {
    Path f = write("time,spikes\n0,\n4,2\n10,0\n");
    DataSet d = DataSet.read(f, List.of(), SPIKES);
    assertEquals(0.0, d.minTime());
    assertEquals(10.0, d.maxTime());
    assertArrayEquals(new double[] {4}, d.times(""));
    // A point process with no events in its window is valid data.
    Path none = write("time,spikes\n0,0\n10,\n");
    assertEquals(List.of(), DataSet.read(none, List.of(), SPIKES).events(""));
  }

  @Test
  void unknownColumns() throws IOException {
    assertEquals("data.csv:1:6: error: column 'prey_ob' matches no observe or rate of the model (did you mean 'prey_obs'?); "
        + "the model's data columns are prey_obs, pred_obs, spikes", error("time,prey_ob\n0,1\n"));
    assertEquals("data.csv:1:1: error: column 'Time' matches no observe or rate of the model (did you mean 'time'?); "
        + "the model's data columns are prey_obs, pred_obs, spikes", error("Time,prey_obs\n0,1\n"));
    assertEquals("data.csv:1:16: error: column 'zebra' matches no observe or rate of the model; "
        + "the model's data columns are prey_obs, pred_obs", error("time,prey_obs, zebra\n0,1,2\n", LV, List.of()));
    assertEquals("data.csv:1:6: error: column 'obs' matches no observe or rate of the model; 'obs' is a vector observable, "
        + "whose data columns are obs[1], obs[2]", error("time,obs\n0,1\n", List.of("obs[1]", "obs[2]"), List.of()));
    assertEquals("data.csv:1:6: error: column 'x' matches no observe or rate of the model; "
        + "the model has no observe or rate, so it has no data columns", error("time,x\n0,1\n", List.of(), List.of()));
  }

  @Test
  void headerProblems() throws IOException {
    assertEquals("data.csv:2:1: error: the header has no 'time' column; a data file needs a column 'time' and any of "
        + "the model's data columns (prey_obs, pred_obs, spikes)", error("# t in hours\nprey_obs,pred_obs\n1,2\n"));
    assertEquals("data.csv:1:15: error: column 'prey_obs' appears twice in the header (also column 2)",
        error("time,prey_obs,prey_obs\n0,1,2\n"));
    assertEquals("data.csv:1:6: error: column 2 of the header has no name", error("time,,prey_obs\n0,1,2\n"));
    assertEquals("data.csv:1:1: error: the header names no data column; add any of the model's data columns "
        + "(prey_obs, pred_obs, spikes)", error("time,experiment\n0,a\n"));
  }

  @Test
  void emptyFilesAndFilesWithoutData() throws IOException {
    assertEquals("data.csv:1:1: error: the data file is empty; it needs a header row with 'time' and the model's data "
        + "columns (prey_obs, pred_obs, spikes), then one row per time", error(""));
    assertEquals("data.csv:1:1: error: the data file is empty; it needs a header row with 'time' and the model's data "
        + "columns (prey_obs, pred_obs, spikes), then one row per time", error("# only a comment\n\n  \n"));
    assertEquals("data.csv:2:1: error: the data file has a header but no data rows", error("\ntime,prey_obs\n# none\n"));
    assertEquals("data.csv:1:1: error: the data file has no observed values: every cell of its data columns is empty",
        error("time,prey_obs,pred_obs\n0,,\n1,,\n", LV, List.of()));
  }

  @Test
  void rowWidth() throws IOException {
    assertEquals("data.csv:3:4: error: this row has 2 cells, but the header has 3 columns (time, prey_obs, pred_obs)",
        error("time,prey_obs,pred_obs\n0,1,2\n1,2\n", LV, List.of()));
    assertEquals("data.csv:3:8: error: this row has 4 cells, but the header has 3 columns (time, prey_obs, pred_obs)",
        error("time,prey_obs,pred_obs\n0,1,2\n1,2,3, 4\n", LV, List.of()));
    // A trailing comma is an extra (empty) cell.
    assertEquals("data.csv:2:7: error: this row has 3 cells, but the header has 2 columns (time, prey_obs)",
        error("time,prey_obs\n0,1.5,\n", LV, List.of()));
  }

  @Test
  void badCells() throws IOException {
    assertEquals("data.csv:3:4: error: 'abc' in column 'prey_obs' is not a number", error("time,prey_obs\n0,1\n1, abc\n"));
    assertEquals("data.csv:2:3: error: 'NA' in column 'prey_obs' is not a number; leave the cell empty for a value that "
        + "was not observed", error("time,prey_obs\n0,NA\n"));
    assertEquals("data.csv:2:1: error: '1,5' in column 'time' is not a number", error("time,prey_obs\n\"1,5\",2\n"));
    assertEquals("data.csv:2:1: error: '0x10' in column 'time' is not a number", error("time,prey_obs\n0x10,2\n"));
    assertEquals("data.csv:2:3: error: '1.5f' in column 'prey_obs' is not a number", error("time,prey_obs\n0,1.5f\n"));
    assertEquals("data.csv:3:1: error: time must be a finite number, got inf", error("time,prey_obs\n0,1\ninf,2\n"));
    assertEquals("data.csv:2:1: error: time must be a finite number, got NaN", error("time,prey_obs\nNaN,2\n"));
    assertEquals("data.csv:2:1: error: time must be a finite number, got 1e999", error("time,prey_obs\n1e999,2\n"));
    assertEquals("data.csv:2:1: error: this row has no time", error("time,prey_obs\n,2\n"));
    assertEquals("data.csv:2:3: error: 'nan' in column 'prey_obs' is not a value; leave the cell empty for a value that "
        + "was not observed", error("time,prey_obs\n0,nan\n"));
    assertEquals("data.csv:2:3: error: '-Infinity' in column 'prey_obs' is not a finite number",
        error("time,prey_obs\n0,-Infinity\n"));
    assertEquals("data.csv:2:3: error: this quoted cell has no closing quote", error("time,prey_obs\n0,\"1\n"));
    assertEquals("data.csv:2:6: error: unexpected text after the closing quote of a cell (a comma should follow)",
        error("time,prey_obs\n0,\"1\"x\n"));
  }

  @Test
  void badEventCounts() throws IOException {
    assertEquals("data.csv:2:3: error: an event count in rate column 'spikes' must be a non-negative integer, got -1",
        error("time,spikes\n0,-1\n"));
    assertEquals("data.csv:3:3: error: an event count in rate column 'spikes' must be a non-negative integer, got 2.5",
        error("time,spikes\n0,1\n1,2.5\n"));
    assertEquals("data.csv:2:3: error: an event count in rate column 'spikes' must be a non-negative integer, got 1e10",
        error("time,spikes\n0,1e10\n"));
    assertEquals("data.csv:2:3: error: an event count in rate column 'spikes' must be a non-negative integer, got nan",
        error("time,spikes\n0,nan\n"));
  }

  @Test
  void missingExperimentId() throws IOException {
    assertEquals("data.csv:3:3: error: this row has no experiment id; with an 'experiment' column every row needs one",
        error("time,experiment,prey_obs\n0,a,1\n1,,2\n"));
  }

  @Test
  void binaryGarbage() throws IOException {
    Path f = tmp.resolve("data.xlsx");
    Files.write(f, new byte[] {'t', 'i', 'm', 'e', '\n', 'P', 'K', 3, 4, 0, 0});
    InputError e = assertThrows(InputError.class, () -> DataSet.read(f, LV, List.of()));
    assertEquals(f + ":2:3: error: this is not a text CSV file (control byte 0x03); the data file must be comma-separated text",
        e.getMessage());
    Files.write(f, new byte[] {'t', 'i', 'm', 'e', ',', 'p', 'r', 'e', 'y', '_', 'o', 'b', 's', '\n', '0', ',', (byte) 0xc3, 'x', '\n'});
    e = assertThrows(InputError.class, () -> DataSet.read(f, LV, List.of()));
    assertEquals(f + ":2:3: error: invalid UTF-8 byte 0xc3; the data file must be UTF-8 text (is it a spreadsheet or "
        + "binary file? export it as CSV)", e.getMessage());
  }

  @Test
  void columnsCountCharactersNotBytes() throws IOException {
    assertEquals("data.csv:2:5: error: 'oops' in column 'prey_obs' is not a number",
        error("time,experiment,prey_obs\n0,\u00e9,oops\n"));
    assertEquals("data.csv:2:4: error: this is not a text CSV file (control byte 0x01); the data file must be "
        + "comma-separated text", error("time,prey_obs\n\u00e9\u00e9,\u0001\n"));
  }

  @Test
  void missingFile() {
    Path f = tmp.resolve("nope.csv");
    InputError e = assertThrows(InputError.class, () -> DataSet.read(f, LV, List.of()));
    assertEquals("cannot read the data file " + f + ": no such file", e.getMessage());
    assertEquals(InputError.Kind.INPUT, e.kind());
    e = assertThrows(InputError.class, () -> DataSet.read(tmp, LV, List.of()));
    assertEquals("cannot read the data file " + tmp + ": it is a directory", e.getMessage());
  }

  @Test
  void timesOutsideTheSolveSpan() throws IOException {
    Path f = write("time,prey_obs\n0,1\n  12.5,2\n-1,3\n");
    DataSet d = DataSet.read(f, LV, List.of());
    InputError e = assertThrows(InputError.class, () -> d.checkWithin(0, 10));
    assertEquals(f + ":3:3: error: time 12.5 is outside the solve span [0, 10]; extend the span to end at 12.5 or later "
        + "(--t1), or remove this row", e.getMessage());
    e = assertThrows(InputError.class, () -> d.checkWithin(-0.5, 20));
    assertEquals(f + ":4:1: error: time -1 is outside the solve span [-0.5, 20]; start the span at -1 or earlier "
        + "(--t0), or remove this row", e.getMessage());
    d.checkWithin(-1, 12.5);
    d.checkWithin(12.5, -1); // a backward solve covers the same span
  }

  @Test
  void observationsOutsideTheNoiseModelsSupport() throws IOException {
    Path f = write("time,prey_obs,pred_obs\n0,1,2\n1,2, -2\n");
    DataSet d = DataSet.read(f, LV, List.of());
    d.checkSupport(List.of("normal", "normal"));
    InputError e = assertThrows(InputError.class, () -> d.checkSupport(List.of("normal", "lognormal")));
    assertEquals(f + ":3:6: error: column 'pred_obs' has a lognormal noise model, which needs a positive observation, got -2",
        e.getMessage());
    Path g = write("time,prey_obs\n0,3\n1,2.5\n");
    DataSet counts = DataSet.read(g, LV, List.of());
    e = assertThrows(InputError.class, () -> counts.checkSupport(List.of("poisson", "normal")));
    assertEquals(g + ":3:3: error: column 'prey_obs' has a poisson noise model, which needs a non-negative integer count, "
        + "got 2.5", e.getMessage());
  }
}
