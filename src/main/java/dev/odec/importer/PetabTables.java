package dev.odec.importer;

import dev.odec.infer.CsvFile;
import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A PEtab v1 problem as files: the YAML problem file and its tab-separated tables, read into rows
 * that remember their file and line. A table missing a required column, a file that is not
 * there, and YAML that does not parse are errors at FILE:LINE:COL.
 */
final class PetabTables {
  /** One table row: its cells by column name, and where it is. */
  record Row(String file, int line, Map<String, CsvFile.Cell> cells) {
    /** The cell's text, "" when the column is absent or the cell empty. */
    String get(String column) {
      CsvFile.Cell c = cells.get(column);
      return c == null ? "" : c.text();
    }

    /** The 1-based column of the cell (1 when absent). */
    int col(String column) {
      CsvFile.Cell c = cells.get(column);
      return c == null ? 1 : c.col();
    }

    InputError error(String column, String message) {
      return InputError.at(file, line, col(column), message);
    }
  }

  /** A table: its column names (in file order, of the first file) and its rows (every file's). */
  record Table(String what, List<String> columns, List<Row> rows) {
    boolean has(String column) {
      return columns.contains(column);
    }
  }

  final Path yaml;
  final Path sbml;
  final Table conditions;
  final Table measurements;
  final Table observables;
  final Table parameters;

  private PetabTables(Path yaml, Path sbml, Table conditions, Table measurements, Table observables, Table parameters) {
    this.yaml = yaml;
    this.sbml = sbml;
    this.conditions = conditions;
    this.measurements = measurements;
    this.observables = observables;
    this.parameters = parameters;
  }

  /** Every file of the problem, for the cache key: the YAML file first. */
  List<Path> files = List.of();

  static PetabTables read(Path yamlPath) {
    String name = yamlPath.toString();
    Object doc;
    try (Reader r = Files.newBufferedReader(yamlPath, StandardCharsets.UTF_8)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw InputError.at(name, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
          "this YAML does not parse: " + e.getProblem());
    } catch (YAMLException e) {
      throw InputError.at(name, 1, 1, "this YAML does not parse: " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw InputError.input("cannot read " + name + ": no such file");
    } catch (IOException e) {
      throw InputError.input("cannot read " + name + ": " + (Files.isDirectory(yamlPath) ? "it is a directory" : e.getMessage()));
    }
    if (!(doc instanceof Map<?, ?> top)) {
      throw InputError.at(name, 1, 1, "a PEtab problem file is a YAML mapping with format_version, parameter_file and problems");
    }
    Object version = top.get("format_version");
    if (version == null || !(version.toString().equals("1") || version.toString().startsWith("1."))) {
      throw InputError.at(name, 1, 1, "format_version " + version + " is not supported; odec reads PEtab v1 problems "
          + "(format_version: 1)");
    }
    Path dir = yamlPath.toAbsolutePath().getParent();
    String paramFile = scalar(top, "parameter_file", name);
    Object problems = top.get("problems");
    if (!(problems instanceof List<?> list) || list.isEmpty()) {
      throw InputError.at(name, 1, 1, "the problem file has no 'problems' list");
    }
    if (list.size() > 1) throw InputError.at(name, 1, 1, "the problem file lists " + list.size() + " problems; odec reads one");
    if (!(list.get(0) instanceof Map<?, ?> p)) throw InputError.at(name, 1, 1, "'problems' must hold a mapping");
    List<String> sbml = files(p, "sbml_files", name);
    if (sbml.size() != 1) throw InputError.at(name, 1, 1, "the problem must name exactly one SBML file, it names " + sbml.size());
    List<Path> all = new ArrayList<>();
    all.add(yamlPath);
    Path sbmlPath = dir.resolve(sbml.get(0));
    all.add(sbmlPath);
    Table parameters = table(List.of(dir.resolve(paramFile)), "parameter table",
        List.of("parameterId", "parameterScale", "lowerBound", "upperBound", "nominalValue", "estimate"), all);
    Table conditions = table(paths(dir, files(p, "condition_files", name)), "condition table", List.of("conditionId"), all);
    Table measurements = table(paths(dir, files(p, "measurement_files", name)), "measurement table",
        List.of("observableId", "simulationConditionId", "measurement", "time"), all);
    Table observables = table(paths(dir, files(p, "observable_files", name)), "observable table",
        List.of("observableId", "observableFormula", "noiseFormula"), all);
    PetabTables t = new PetabTables(yamlPath, sbmlPath, conditions, measurements, observables, parameters);
    t.files = List.copyOf(all);
    return t;
  }

  private static List<Path> paths(Path dir, List<String> names) {
    return names.stream().map(dir::resolve).toList();
  }

  private static String scalar(Map<?, ?> m, String key, String file) {
    Object v = m.get(key);
    if (v instanceof List<?> l && l.size() == 1) v = l.get(0);
    if (v == null || v instanceof Map || v instanceof List) {
      throw InputError.at(file, 1, 1, "the problem file needs '" + key + "' naming one file");
    }
    return v.toString();
  }

  private static List<String> files(Map<?, ?> m, String key, String file) {
    Object v = m.get(key);
    if (v == null) throw InputError.at(file, 1, 1, "the problem has no '" + key + "'");
    if (v instanceof List<?> l) return l.stream().map(Object::toString).toList();
    return List.of(v.toString());
  }

  private static Table table(List<Path> files, String what, List<String> required, List<Path> all) {
    if (files.isEmpty()) throw InputError.input("the problem names no " + what);
    List<String> columns = null;
    List<Row> rows = new ArrayList<>();
    for (Path f : files) {
      all.add(f);
      CsvFile csv = CsvFile.read(f, what, '\t');
      if (csv.header == null) throw InputError.at(csv.fileName, 1, 1, "the " + what + " is empty");
      List<String> names = csv.headerNames();
      for (String r : required) {
        if (!names.contains(r)) {
          throw InputError.at(csv.fileName, csv.header.line(), 1, "the " + what + " has no column '" + r
              + "' (PEtab v1 requires it); its columns are " + String.join(", ", names));
        }
      }
      Map<String, Integer> seen = new HashMap<>();
      for (int c = 0; c < names.size(); c++) {
        Integer before = seen.putIfAbsent(names.get(c), c);
        if (before != null) {
          throw InputError.at(csv.fileName, csv.header.line(), csv.header.cells().get(c).col(), "column '" + names.get(c)
              + "' appears twice in the header");
        }
      }
      if (columns == null) columns = names;
      for (CsvFile.Row row : csv.rows) {
        // pandas leaves out a row's trailing empty cells: those are empty; more cells than columns is an error
        if (row.cells().size() > names.size()) csv.checkWidth(row);
        Map<String, CsvFile.Cell> cells = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
          cells.put(names.get(c), c < row.cells().size() ? row.cells().get(c) : new CsvFile.Cell("", row.endCol()));
        }
        rows.add(new Row(csv.fileName, row.line(), cells));
      }
    }
    return new Table(what, columns, rows);
  }
}
