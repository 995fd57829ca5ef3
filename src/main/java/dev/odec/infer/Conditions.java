package dev.odec.infer;

import dev.odec.runtime.InputError;
import dev.odec.sema.Suggest;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conditions file (LANGUAGE.md §6): CSV with a required {@code experiment} column and one column
 * per param or const that it overrides for that experiment. An empty cell keeps the model's value;
 * states' initial values follow because they are expressions of params and consts. Same CSV rules
 * as a data file ({@link CsvFile}); every problem is an {@link InputError} at {@code FILE:LINE:COL}.
 */
public final class Conditions {
  private final String fileName;
  private final Map<String, Map<String, Double>> overrides;

  private Conditions(String fileName, Map<String, Map<String, Double>> overrides) {
    this.fileName = fileName;
    this.overrides = overrides;
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
    csv.checkColumnNames();
    List<String> names = csv.headerNames();
    int expIdx = names.indexOf("experiment");
    for (int c = 0; c < names.size(); c++) {
      if (c != expIdx && !overridableNames.contains(names.get(c))) {
        throw csv.notOverridable(c, overridableNames, List.of("experiment"));
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
      overrides.put(exp, csv.overrides(row, expIdx));
    }
    return new Conditions(name, overrides);
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
