package dev.odec.infer;

import dev.odec.runtime.InputError;
import dev.odec.sema.Suggest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A data file (LANGUAGE.md §6): CSV with a header row naming a {@code time} column, an optional
 * {@code experiment} column (a string id per row), and any of the model's data columns: one per
 * scalar {@code observe}, {@code NAME[1]}, {@code NAME[2]}, … for a vector observable, one per
 * {@code rate} (event counts).
 *
 * <p>An empty cell is "not observed". A count n ≥ 1 in a rate column is n events at that row's
 * time; 0 or an empty cell is none. Rows may be in any order and several may share a time.
 * {@code #} comment lines and blank lines are skipped (see {@link CsvFile} for quoting). Without
 * an experiment column the file is one experiment with id {@code ""}.
 *
 * <p>Every problem is an {@link InputError} at {@code FILE:LINE:COL}, the column being that of the
 * offending cell's first character (1-based, in characters).
 */
public final class DataSet {
  /**
   * One observed value: column index into observableColumns, its name, the value, its 1-based
   * source line, and the noise its row gives in a {@code NAME.sigma} or {@code NAME.scale}
   * column (NaN when none: the model's own argument applies).
   */
  public record Observation(double time, int column, String columnName, double value, int line, double noise) {
    public Observation(double time, int column, String columnName, double value, int line) {
      this(time, column, columnName, value, line, Double.NaN);
    }

    /** Whether the data gives this observation's noise (its distribution's last argument). */
    public boolean hasNoise() {
      return !Double.isNaN(noise);
    }
  }

  /** The suffixes of per-measurement noise columns (LANGUAGE.md §9). */
  public static final List<String> NOISE_SUFFIXES = List.of(".sigma", ".scale");

  /** n events of a rate at one time. */
  public record Event(double time, int rate, String rateName, int count, int line) {}

  /** A data row: where it is and what it says about time and experiment. */
  private record RowInfo(int line, int timeCol, int experimentCol, String experiment, double time) {}

  private final String fileName;
  private final int headerLine;
  private final boolean hasExperimentColumn;
  private final List<RowInfo> rows;
  private final Map<String, List<Observation>> observations;
  private final Map<String, List<Event>> events;
  /** The column (in the file) of each observation's cell, by identity. */
  private final Map<Observation, Integer> cellCol;
  /** For observable columns with a noise column: its suffix (".sigma" or ".scale"). */
  private final Map<Integer, String> noiseSuffix;

  private DataSet(String fileName, int headerLine, boolean hasExperimentColumn, List<RowInfo> rows,
      Map<String, List<Observation>> observations, Map<String, List<Event>> events, Map<Observation, Integer> cellCol,
      Map<Integer, String> noiseSuffix) {
    this.fileName = fileName;
    this.headerLine = headerLine;
    this.hasExperimentColumn = hasExperimentColumn;
    this.rows = rows;
    this.observations = observations;
    this.events = events;
    this.cellCol = cellCol;
    this.noiseSuffix = noiseSuffix;
  }

  /**
   * Reads a CSV data file. observableColumns: the allowed observation columns in order (scalar
   * observables by name, vector observables' components as NAME[1], NAME[2], ...); rateColumns:
   * the rate names. Errors are {@code InputError.at(file, line, col, msg)}: a column that matches
   * no observe or rate (with a suggestion and the list of the model's data columns), a missing
   * {@code time} column, duplicate or empty column names, a row with the wrong number of cells, a
   * non-numeric cell, a non-finite time, a NaN or infinite value, a negative or non-integer event
   * count, an empty file or one without data rows, a file that is not UTF-8 text.
   */
  public static DataSet read(Path file, List<String> observableColumns, List<String> rateColumns) {
    CsvFile csv = CsvFile.read(file, "data file");
    String name = csv.fileName;
    List<String> dataColumns = new ArrayList<>(observableColumns);
    dataColumns.addAll(rateColumns);
    if (csv.header == null) {
      throw InputError.at(name, 1, 1, "the data file is empty; it needs a header row with 'time' and the model's data columns ("
          + listOrNone(dataColumns) + "), then one row per time");
    }
    CsvFile.Row header = csv.header;
    int timeIdx = -1;
    int expIdx = -1;
    int nCols = header.cells().size();
    int[] obsOf = new int[nCols];
    int[] rateOf = new int[nCols];
    int[] noiseOf = new int[nCols];
    java.util.Arrays.fill(obsOf, -1);
    java.util.Arrays.fill(rateOf, -1);
    java.util.Arrays.fill(noiseOf, -1);
    Map<Integer, String> noiseSuffix = new HashMap<>();
    csv.checkColumnNames();
    for (int c = 0; c < nCols; c++) {
      CsvFile.Cell cell = header.cells().get(c);
      String col = cell.text();
      if (col.equals("time")) {
        timeIdx = c;
      } else if (col.equals("experiment")) {
        expIdx = c;
      } else if (observableColumns.contains(col)) {
        obsOf[c] = observableColumns.indexOf(col);
      } else if (rateColumns.contains(col)) {
        rateOf[c] = rateColumns.indexOf(col);
      } else if (noiseColumn(col) != null && observableColumns.contains(noiseColumn(col))) {
        noiseOf[c] = observableColumns.indexOf(noiseColumn(col));
        noiseSuffix.put(noiseOf[c], col.substring(noiseColumn(col).length()));
      } else {
        throw InputError.at(name, header.line(), cell.col(), unknownColumn(col, observableColumns, dataColumns));
      }
    }
    if (timeIdx < 0) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(), "the header has no 'time' column; a data file needs "
          + "a column 'time' and any of the model's data columns (" + listOrNone(dataColumns) + ")");
    }
    boolean anyData = false;
    for (int c = 0; c < nCols; c++) anyData |= obsOf[c] >= 0 || rateOf[c] >= 0;
    if (!anyData) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(), "the header names no data column; add any of the "
          + "model's data columns (" + listOrNone(dataColumns) + ")");
    }
    if (csv.rows.isEmpty()) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(), "the data file has a header but no data rows");
    }

    List<RowInfo> rows = new ArrayList<>();
    Map<String, List<Observation>> obs = new LinkedHashMap<>();
    Map<String, List<Event>> evs = new LinkedHashMap<>();
    Map<Observation, Integer> cellCol = new java.util.IdentityHashMap<>();
    boolean anyRate = false;
    for (int c = 0; c < nCols; c++) anyRate |= rateOf[c] >= 0;
    int nObs = 0;
    for (CsvFile.Row row : csv.rows) {
      csv.checkWidth(row);
      CsvFile.Cell tc = row.cells().get(timeIdx);
      if (tc.text().isEmpty()) throw InputError.at(name, row.line(), tc.col(), "this row has no time");
      double t = csv.number(row, tc, "time");
      if (!Double.isFinite(t)) {
        throw InputError.at(name, row.line(), tc.col(), "time must be a finite number, got " + tc.text());
      }
      String exp = "";
      int expCol = 0;
      if (expIdx >= 0) {
        CsvFile.Cell ec = row.cells().get(expIdx);
        if (ec.text().isEmpty()) {
          throw InputError.at(name, row.line(), ec.col(), "this row has no experiment id; with an 'experiment' column every row needs one");
        }
        exp = ec.text();
        expCol = ec.col();
      }
      rows.add(new RowInfo(row.line(), tc.col(), expCol, exp, t));
      // the noise cells of this row, by observable column
      Map<Integer, Double> noise = new HashMap<>();
      for (int c = 0; c < nCols; c++) {
        if (noiseOf[c] < 0) continue;
        CsvFile.Cell cell = row.cells().get(c);
        if (cell.text().isEmpty()) continue;
        String col = header.cells().get(c).text();
        double v = csv.number(row, cell, col);
        if (!(v > 0) || Double.isInfinite(v)) {
          throw InputError.at(name, row.line(), cell.col(), "'" + cell.text() + "' in column '" + col + "' is not a "
              + "valid noise level: it replaces the distribution's " + (col.endsWith(".scale") ? "scale" : "sigma")
              + " for this row and must be a finite number > 0 (leave the cell empty to use the model's)");
        }
        if (noise.put(noiseOf[c], v) != null) {
          throw InputError.at(name, row.line(), cell.col(), "this row gives the noise of '"
              + observableColumns.get(noiseOf[c]) + "' twice (a .sigma and a .scale column); keep one");
        }
      }
      List<Observation> expObs = obs.computeIfAbsent(exp, k -> new ArrayList<>());
      List<Event> expEvs = evs.computeIfAbsent(exp, k -> new ArrayList<>());
      for (int c = 0; c < nCols; c++) {
        if (obsOf[c] < 0 && rateOf[c] < 0) continue;
        CsvFile.Cell cell = row.cells().get(c);
        if (cell.text().isEmpty()) continue;
        String col = header.cells().get(c).text();
        double v = csv.number(row, cell, col);
        if (obsOf[c] >= 0) {
          if (Double.isNaN(v)) {
            throw InputError.at(name, row.line(), cell.col(), "'" + cell.text() + "' in column '" + col
                + "' is not a value; leave the cell empty for a value that was not observed");
          }
          if (Double.isInfinite(v)) {
            throw InputError.at(name, row.line(), cell.col(), "'" + cell.text() + "' in column '" + col
                + "' is not a finite number");
          }
          Observation o = new Observation(t, obsOf[c], col, v, row.line(), noise.getOrDefault(obsOf[c], Double.NaN));
          expObs.add(o);
          cellCol.put(o, cell.col());
          nObs++;
        } else {
          if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw InputError.at(name, row.line(), cell.col(), "an event count in rate column '" + col
                + "' must be a non-negative integer, got " + cell.text());
          }
          if (v > 0) expEvs.add(new Event(t, rateOf[c], col, (int) v, row.line()));
        }
      }
    }
    if (nObs == 0 && !anyRate) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(),
          "the data file has no observed values: every cell of its data columns is empty");
    }
    // List.sort is stable: equal times keep file order.
    for (List<Observation> l : obs.values()) l.sort(Comparator.comparingDouble(Observation::time));
    for (List<Event> l : evs.values()) l.sort(Comparator.comparingDouble(Event::time));
    Map<String, List<Observation>> obsOut = new LinkedHashMap<>();
    obs.forEach((k, v) -> obsOut.put(k, List.copyOf(v)));
    Map<String, List<Event>> evOut = new LinkedHashMap<>();
    evs.forEach((k, v) -> evOut.put(k, List.copyOf(v)));
    return new DataSet(name, header.line(), expIdx >= 0, List.copyOf(rows), obsOut, evOut, cellCol, noiseSuffix);
  }

  /** The observable column a noise column {@code NAME.sigma} / {@code NAME.scale} refers to, or null. */
  static String noiseColumn(String col) {
    for (String suffix : NOISE_SUFFIXES) {
      if (col.endsWith(suffix) && col.length() > suffix.length()) return col.substring(0, col.length() - suffix.length());
    }
    return null;
  }

  private static String unknownColumn(String col, List<String> observableColumns, List<String> dataColumns) {
    String msg = "column '" + col + "' matches no observe or rate of the model";
    List<String> components = new ArrayList<>();
    for (String o : observableColumns) if (o.startsWith(col + "[")) components.add(o);
    if (!components.isEmpty()) {
      return msg + "; '" + col + "' is a vector observable, whose data columns are " + CsvFile.list(components);
    }
    List<String> candidates = new ArrayList<>(dataColumns);
    candidates.add("time");
    candidates.add("experiment");
    msg += Suggest.hint(col, candidates);
    if (dataColumns.isEmpty()) return msg + "; the model has no observe or rate, so it has no data columns";
    return msg + "; the model's data columns are " + CsvFile.list(dataColumns);
  }

  private static String listOrNone(List<String> names) {
    return names.isEmpty() ? "the model has none" : CsvFile.list(names);
  }

  /** The same data restricted to the given experiments (a mini-batch), in this file's order. */
  public DataSet only(java.util.Collection<String> experiments) {
    Map<String, List<Observation>> obs = new LinkedHashMap<>();
    Map<String, List<Event>> evs = new LinkedHashMap<>();
    for (String id : observations.keySet()) {
      if (!experiments.contains(id)) continue;
      obs.put(id, observations.get(id));
      evs.put(id, events.getOrDefault(id, List.of()));
    }
    List<RowInfo> kept = rows.stream().filter(r -> experiments.contains(r.experiment())).toList();
    return new DataSet(fileName, headerLine, hasExperimentColumn, kept, obs, evs, cellCol, noiseSuffix);
  }

  /** The experiment ids, in order of first appearance; {@code [""]} without an experiment column. */
  public List<String> experiments() {
    return List.copyOf(observations.keySet());
  }

  /** The experiment's observations sorted by time (stable: file order among equal times); empty for an unknown id. */
  public List<Observation> observations(String experiment) {
    return observations.getOrDefault(experiment, List.of());
  }

  /** The experiment's events sorted by time (stable); empty for an unknown id. */
  public List<Event> events(String experiment) {
    return events.getOrDefault(experiment, List.of());
  }

  /** The sorted distinct times of that experiment's observations and events. */
  public double[] times(String experiment) {
    TreeSet<Double> ts = new TreeSet<>();
    for (Observation o : observations(experiment)) ts.add(o.time());
    for (Event e : events(experiment)) ts.add(e.time());
    return ts.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The earliest time of any data row (rows without observed values included). */
  public double minTime() {
    double m = Double.POSITIVE_INFINITY;
    for (RowInfo r : rows) m = Math.min(m, r.time());
    return m;
  }

  /** The latest time of any data row (rows without observed values included). */
  public double maxTime() {
    double m = Double.NEGATIVE_INFINITY;
    for (RowInfo r : rows) m = Math.max(m, r.time());
    return m;
  }

  /** The file's name as given to {@link #read}. */
  /** The 1-based column (character position) of an observation's cell in its line. */
  public int columnOf(Observation o) {
    Integer c = cellCol.get(o);
    return c == null ? 1 : c;
  }

  public String fileName() {
    return fileName;
  }

  /**
   * Error at the first row (in file order) whose time lies outside [t0, t1] (or [t1, t0] for a
   * backward solve): {@code FILE:LINE:COL: error: time 12.5 is outside the solve span [0, 10]; ...}.
   */
  public void checkWithin(double t0, double t1) {
    double lo = Math.min(t0, t1);
    double hi = Math.max(t0, t1);
    for (RowInfo r : rows) {
      double t = r.time();
      if (t >= lo && t <= hi) continue;
      String fix;
      if (t > hi) {
        fix = t1 >= t0 ? "extend the span to end at " + Distributions.fmt(t) + " or later (--t1)"
            : "extend the span to start at " + Distributions.fmt(t) + " or later (--t0)";
      } else {
        fix = t1 >= t0 ? "start the span at " + Distributions.fmt(t) + " or earlier (--t0)"
            : "extend the span to end at " + Distributions.fmt(t) + " or earlier (--t1)";
      }
      throw InputError.at(fileName, r.line(), r.timeCol(), "time " + Distributions.fmt(t) + " is outside the solve span ["
          + Distributions.fmt(t0) + ", " + Distributions.fmt(t1) + "]; " + fix + ", or remove this row");
    }
  }

  /**
   * Error at the first observation (in file order) that the noise model of its column cannot
   * produce: a value ≤ 0 for lognormal, a negative or non-integer count for poisson. {@code
   * columnDistributions} holds each observable column's distribution name, in observableColumns
   * order.
   */
  public void checkSupport(List<String> columnDistributions) {
    for (Map.Entry<Integer, String> e : noiseSuffix.entrySet()) {
      String dist = columnDistributions.get(e.getKey());
      String want = switch (dist) {
        case "normal", "lognormal" -> ".sigma";
        case "laplace", "loglaplace" -> ".scale";
        default -> null;
      };
      if (!e.getValue().equals(want)) {
        String col = observableColumnName(e.getKey()) + e.getValue();
        throw InputError.at(fileName, headerLine, 1, "column '" + col + "': the observable has a " + dist
            + " noise model, " + (want == null ? "which has no noise level to give per measurement"
            : "whose last argument is given in a column named '" + observableColumnName(e.getKey()) + want + "'"));
      }
    }
    List<Observation> all = new ArrayList<>();
    for (List<Observation> l : observations.values()) all.addAll(l);
    all.sort(Comparator.comparingInt(Observation::line).thenComparingInt(cellCol::get));
    for (Observation o : all) {
      String dist = columnDistributions.get(o.column());
      double v = o.value();
      String why = null;
      if ((dist.equals("lognormal") || dist.equals("loglaplace")) && !(v > 0)) why = "which needs a positive observation";
      if (dist.equals("poisson") && (v < 0 || v != Math.rint(v))) why = "which needs a non-negative integer count";
      if (why != null) {
        throw InputError.at(fileName, o.line(), cellCol.get(o), "column '" + o.columnName() + "' has a " + dist
            + " noise model, " + why + ", got " + Distributions.fmt(v));
      }
    }
  }

  private String observableColumnName(int column) {
    for (List<Observation> l : observations.values()) {
      for (Observation o : l) if (o.column() == column) return o.columnName();
    }
    return "column " + (column + 1);
  }

  /** Whether the file has an 'experiment' column. */
  boolean hasExperimentColumn() {
    return hasExperimentColumn;
  }

  /** The header's line. */
  int headerLine() {
    return headerLine;
  }

  /** {line, column} of the experiment cell of the first row of that experiment; null when absent. */
  int[] firstUse(String experiment) {
    for (RowInfo r : rows) {
      if (r.experiment().equals(experiment)) return new int[] {r.line(), r.experimentCol()};
    }
    return null;
  }
}
