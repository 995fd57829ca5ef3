package dev.odec.infer;

import dev.odec.runtime.InputError;
import dev.odec.sema.Suggest;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conditions file (LANGUAGE.md §6, §9): CSV with a required {@code experiment} column and one
 * column per param or const that it overrides for that experiment. An empty cell keeps the model's
 * value; states' initial values follow because they are expressions of params and consts. An
 * optional {@code preequilibration} column names another row (its experiment id): before the
 * experiment starts, the model is brought to steady state under that row's overrides. Same CSV
 * rules as a data file ({@link CsvFile}); every problem is an {@link InputError} at
 * {@code FILE:LINE:COL}.
 */
public final class Conditions {
  /** The name of the column that names a row to pre-equilibrate under. */
  public static final String PREEQUILIBRATION = "preequilibration";

  private final String fileName;
  private final Map<String, Map<String, Double>> overrides;
  private final Map<String, String> preequilibration;

  private Conditions(String fileName, Map<String, Map<String, Double>> overrides, Map<String, String> preequilibration) {
    this.fileName = fileName;
    this.overrides = overrides;
    this.preequilibration = preequilibration;
  }

  /**
   * Reads a conditions file. overridableNames: the names a column may have (params and consts,
   * vector components as NAME[1], ...). Errors: no 'experiment' column, a column that is not
   * overridable (with the closest name), duplicate or empty column names, a row of the wrong
   * width, an empty or duplicate experiment id, a non-numeric or non-finite cell, no rows.
   */
  public static Conditions read(Path file, Collection<String> overridableNames) {
    CsvFile csv = CsvFile.read(file, "conditions file");
    String name = csv.fileName;
    if (csv.header == null) {
      throw InputError.at(name, 1, 1, "the conditions file is empty; it needs a header row with 'experiment' and the "
          + "params or consts it sets, then one row per experiment");
    }
    CsvFile.Row header = csv.header;
    List<String> names = csv.headerNames();
    csv.checkColumnNames();
    int expIdx = names.indexOf("experiment");
    int preIdx = names.indexOf(PREEQUILIBRATION);
    for (int c = 0; c < names.size(); c++) {
      if (c != expIdx && c != preIdx && !overridableNames.contains(names.get(c))) {
        throw csv.notOverridable(c, overridableNames, List.of("experiment", PREEQUILIBRATION));
      }
    }
    if (expIdx < 0) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(),
          "the conditions file has no 'experiment' column; it needs one naming the experiments of the data file");
    }
    if (csv.rows.isEmpty()) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(), "the conditions file has a header but no rows");
    }
    Map<String, Map<String, Double>> overrides = new LinkedHashMap<>();
    Map<String, String> pre = new LinkedHashMap<>();
    Map<String, int[]> preCell = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (CsvFile.Row row : csv.rows) {
      csv.checkWidth(row);
      CsvFile.Cell ec = row.cells().get(expIdx);
      String exp = ec.text();
      if (exp.isEmpty()) throw InputError.at(name, row.line(), ec.col(), "this row has no experiment id");
      Integer first = lineOf.putIfAbsent(exp, row.line());
      if (first != null) {
        throw InputError.at(name, row.line(), ec.col(), "experiment '" + exp + "' appears twice (first at line " + first + ")");
      }
      if (preIdx >= 0 && !row.cells().get(preIdx).text().isEmpty()) {
        pre.put(exp, row.cells().get(preIdx).text());
        preCell.put(exp, new int[] {row.line(), row.cells().get(preIdx).col()});
      }
      overrides.put(exp, csv.overrides(row, expIdx, preIdx));
    }
    for (Map.Entry<String, String> e : pre.entrySet()) {
      if (overrides.containsKey(e.getValue())) continue;
      int[] at = preCell.get(e.getKey());
      throw InputError.at(name, at[0], at[1], "experiment '" + e.getKey() + "' pre-equilibrates under '" + e.getValue()
          + "', which is no row of this file" + Suggest.hint(e.getValue(), overrides.keySet()) + "; the "
          + PREEQUILIBRATION + " column names another row's experiment id");
    }
    return new Conditions(name, overrides, Collections.unmodifiableMap(pre));
  }

  /** The row an experiment is pre-equilibrated under, or null. */
  public String preequilibration(String experiment) {
    return preequilibration.get(experiment);
  }

  /** The overrides of an experiment, in column order; empty when it has none or no row. */
  public Map<String, Double> overrides(String experiment) {
    return overrides.getOrDefault(experiment, Map.of());
  }

  /** Whether the file has a row for the experiment. */
  public boolean has(String experiment) {
    return overrides.containsKey(experiment);
  }

  /** The experiment ids, in file order. */
  public List<String> experiments() {
    return List.copyOf(overrides.keySet());
  }

  /**
   * Error when an experiment of the data has no row here, at the data file's first row of that
   * experiment (its experiment cell); when the data has no experiment column, at its header.
   */
  public void checkCovers(DataSet data) {
    if (!data.hasExperimentColumn()) {
      throw InputError.at(data.fileName(), data.headerLine(), 1, "the data file has no 'experiment' column, so the "
          + "conditions file " + fileName + " cannot apply to it; add an 'experiment' column with ids from "
          + CsvFile.list(overrides.keySet()));
    }
    for (String exp : data.experiments()) {
      if (has(exp)) continue;
      int[] at = data.firstUse(exp);
      throw InputError.at(data.fileName(), at[0], at[1], "experiment '" + exp + "' has no row in the conditions file "
          + fileName + Suggest.hint(exp, overrides.keySet()) + "; it has " + CsvFile.list(overrides.keySet()));
    }
  }
}
