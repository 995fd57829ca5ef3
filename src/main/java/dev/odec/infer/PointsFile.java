package dev.odec.infer;

import dev.odec.runtime.InputError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of {@code odec density --points FILE.csv}: one row per point, with a column per
 * component of the flow state ({@code x[1]}, {@code x[2]}); other columns are carried along
 * (printed back beside {@code logp}). Errors name the file, line and column: a missing component
 * column (naming both shapes), a cell that is not a finite number, a row of the wrong width.
 *
 * @param header every column name, in file order
 * @param cells every row's cell texts, for printing back
 * @param points each row's flow-state components
 */
public record PointsFile(List<String> header, List<List<String>> cells, double[][] points) {
  public static PointsFile read(Path file, String state, List<String> components) {
    CsvFile csv = CsvFile.read(file, "points file");
    if (csv.header == null) {
      throw InputError.at(csv.fileName, 1, 1, "the points file is empty; it needs a header row with the columns "
          + String.join(", ", components));
    }
    List<String> names = csv.headerNames();
    for (int c = 0; c < names.size(); c++) {
      if (names.indexOf(names.get(c)) != c) {
        throw InputError.at(csv.fileName, csv.header.line(), csv.header.cells().get(c).col(), "column '" + names.get(c)
            + "' appears twice in the header");
      }
    }
    int[] at = new int[components.size()];
    List<String> missing = new ArrayList<>();
    int found = 0;
    for (int i = 0; i < components.size(); i++) {
      at[i] = names.indexOf(components.get(i));
      if (at[i] < 0) missing.add(components.get(i));
    }
    for (String nm : names) if (nm.equals(state) || nm.startsWith(state + "[")) found++;
    if (!missing.isEmpty()) {
      throw InputError.at(csv.fileName, csv.header.line(), 1, "the points have " + found + " column"
          + (found == 1 ? "" : "s") + " of the flow state '" + state + "', which has " + components.size()
          + " component" + (components.size() == 1 ? "" : "s") + ": missing " + String.join(", ", missing));
    }
    double[][] points = new double[csv.rows.size()][components.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int r = 0; r < csv.rows.size(); r++) {
      CsvFile.Row row = csv.rows.get(r);
      csv.checkWidth(row);
      List<String> texts = new ArrayList<>();
      for (CsvFile.Cell c : row.cells()) texts.add(c.text());
      cells.add(texts);
      for (int i = 0; i < at.length; i++) {
        CsvFile.Cell cell = row.cells().get(at[i]);
        double v = cell.text().isEmpty() ? Double.NaN : csv.number(row, cell, components.get(i));
        if (!Double.isFinite(v)) {
          throw InputError.at(csv.fileName, row.line(), cell.col(), "'" + cell.text() + "' in column '"
              + components.get(i) + "' is not a finite number; every point needs all its components");
        }
        points[r][i] = v;
      }
    }
    return new PointsFile(names, cells, points);
  }
}
