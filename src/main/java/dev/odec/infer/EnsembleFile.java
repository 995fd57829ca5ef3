package dev.odec.infer;

import dev.odec.runtime.InputError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An ensemble file ({@code odec run --ensemble FILE.csv}): one row per member, one column per
 * param or const it sets (named as {@code --set} names them: {@code alpha}, {@code W[2,1]}); an
 * empty cell keeps the model's value, and states' initial values follow the params and consts
 * they are computed from. Same CSV rules as a data file ({@link CsvFile}); every problem is an
 * {@link InputError} at {@code FILE:LINE:COL}.
 *
 * @param members each member's overrides, in file order
 * @param origins each member's {@code FILE:LINE}, for messages
 */
public record EnsembleFile(List<Map<String, Double>> members, List<String> origins) {
  /**
   * Reads an ensemble file. overridableNames: the names a column may have (params and consts,
   * vector components as NAME[1], ...). Errors: a column that is not overridable (with the closest
   * name), duplicate or empty column names, a row of the wrong width, a non-numeric or non-finite
   * cell, no rows.
   */
  public static EnsembleFile read(Path file, Collection<String> overridableNames) {
    CsvFile csv = CsvFile.read(file, "ensemble file");
    String name = csv.fileName;
    if (csv.header == null) {
      throw InputError.at(name, 1, 1, "the ensemble file is empty; it needs a header row naming the params or consts "
          + "it sets, then one row per member");
    }
    CsvFile.Row header = csv.header;
    csv.checkColumnNames();
    List<String> names = csv.headerNames();
    for (int c = 0; c < names.size(); c++) {
      if (!overridableNames.contains(names.get(c))) throw csv.notOverridable(c, overridableNames, List.of());
    }
    if (csv.rows.isEmpty()) {
      throw InputError.at(name, header.line(), header.cells().get(0).col(), "the ensemble file has a header but no rows; "
          + "give one row per member");
    }
    List<Map<String, Double>> members = new ArrayList<>(csv.rows.size());
    List<String> origins = new ArrayList<>(csv.rows.size());
    for (CsvFile.Row row : csv.rows) {
      members.add(csv.overrides(row));
      origins.add(name + ":" + row.line());
    }
    return new EnsembleFile(List.copyOf(members), List.copyOf(origins));
  }
}
