package dev.odec.infer;

import dev.odec.runtime.InputError;
import dev.odec.source.InputFiles;
import dev.odec.syntax.NumberSyntax;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A CSV file (or, with a tab separator, a TSV file such as PEtab's tables) split into cells that
 * remember where they are. Comma separated; a cell may be
 * double-quoted ({@code "a, b"}, with {@code ""} for a quote inside); spaces and tabs around a cell
 * are dropped; a line whose first non-blank character is {@code #} and a blank line are skipped;
 * a UTF-8 byte-order mark and {@code \r\n} line ends are accepted. The first line that is not
 * skipped is the header.
 */
public final class CsvFile {
  /** A cell: its text (unquoted, trimmed) and the 1-based column of its first character. */
  public record Cell(String text, int col) {}

  /** A line of cells; endCol is the column just after the line's last character. */
  public record Row(int line, List<Cell> cells, int endCol) {}

  public final String fileName;
  /** null when the file has no line besides comments and blanks. */
  public final Row header;
  public final List<Row> rows;

  private CsvFile(String fileName, Row header, List<Row> rows) {
    this.fileName = fileName;
    this.header = header;
    this.rows = rows;
  }

  /** Reads and splits a comma-separated file; {@code what} ("data file", "conditions file") goes into messages. */
  static CsvFile read(Path path, String what) {
    return read(path, what, ',');
  }

  /** Reads and splits a file whose cells are separated by {@code separator} (',' or '\t'). */
  public static CsvFile read(Path path, String what, char separator) {
    String name = path.toString();
    byte[] bytes;
    try {
      bytes = InputFiles.read(path, InputFiles.MAX_DATA_BYTES, what);
    } catch (InputFiles.TooLarge e) {
      throw InputError.input(e.getMessage());
    } catch (NoSuchFileException e) {
      throw InputError.input("cannot read the " + what + " " + name + ": no such file");
    } catch (AccessDeniedException e) {
      throw InputError.input("cannot read the " + what + " " + name + ": permission denied");
    } catch (IOException e) {
      String why = Files.isDirectory(path) ? "it is a directory" : String.valueOf(e.getMessage());
      throw InputError.input("cannot read the " + what + " " + name + ": " + why);
    }
    String text = decode(bytes, name, what);
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    Row header = null;
    List<Row> rows = new ArrayList<>();
    int lineNo = 0;
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      String line = text.substring(start, end);
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      lineNo++;
      String stripped = line.strip();
      if (!stripped.isEmpty() && !stripped.startsWith("#")) {
        Row row = split(line, lineNo, name, separator);
        if (header == null) header = row;
        else rows.add(row);
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return new CsvFile(name, header, rows);
  }

  /** Strict UTF-8 text without control characters other than tab, CR and LF. */
  private static String decode(byte[] bytes, String name, String what) {
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
        int[] lc = position(bytes, i);
        throw InputError.at(name, lc[0], lc[1], String.format(Locale.ROOT,
            "this is not a text CSV file (control byte 0x%02x); the %s must be comma-separated text", b, what));
      }
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int[] lc = position(bytes, at);
      throw InputError.at(name, lc[0], lc[1], String.format(Locale.ROOT,
          "invalid UTF-8 byte 0x%02x; the %s must be UTF-8 text (is it a spreadsheet or binary file? export it as CSV)",
          bytes[at] & 0xff, what));
    }
    dec.flush(out);
    out.flip();
    return out.toString();
  }

  /** 1-based line and column (in characters, decoding leniently) of byte offset i. */
  private static int[] position(byte[] bytes, int i) {
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < i; k++) {
      if (bytes[k] == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    String prefix = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
    return new int[] {line, prefix.length() + 1};
  }

  private static Row split(String line, int lineNo, String name, char sep) {
    List<Cell> cells = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (true) {
      int cellStart = i;
      while (i < n && isBlank(line.charAt(i), sep)) i++;
      String text;
      int col;
      if (i < n && line.charAt(i) == '"') {
        col = i + 1;
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) throw InputError.at(name, lineNo, col, "this quoted cell has no closing quote");
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              sb.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(c);
          i++;
        }
        while (i < n && isBlank(line.charAt(i), sep)) i++;
        if (i < n && line.charAt(i) != sep) {
          throw InputError.at(name, lineNo, i + 1, "unexpected text after the closing quote of a cell (a "
              + (sep == ',' ? "comma" : "tab") + " should follow)");
        }
        text = sb.toString().strip();
      } else {
        int textStart = i;
        while (i < n && line.charAt(i) != sep) i++;
        text = line.substring(textStart, i).strip();
        col = text.isEmpty() ? cellStart + 1 : textStart + 1;
      }
      cells.add(new Cell(text, col));
      if (i >= n) break;
      i++; // the separator
    }
    return new Row(lineNo, List.copyOf(cells), n + 1);
  }

  private static boolean isBlank(char c, char sep) {
    return c == ' ' || (c == '\t' && sep != '\t');
  }

  /** Error unless the row has as many cells as the header. */
  public void checkWidth(Row row) {
    int want = header.cells().size();
    int got = row.cells().size();
    if (got == want) return;
    int col = got > want ? row.cells().get(want).col() : row.endCol();
    List<String> names = new ArrayList<>();
    for (Cell c : header.cells()) names.add(c.text());
    throw InputError.at(fileName, row.line(), col, "this row has " + got + " cell" + (got == 1 ? "" : "s")
        + ", but the header has " + want + " column" + (want == 1 ? "" : "s") + " (" + list(names) + ")");
  }

  /** Errors unless every header column has a name and no name appears twice. */
  void checkColumnNames() {
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (int c = 0; c < header.cells().size(); c++) {
      Cell cell = header.cells().get(c);
      String col = cell.text();
      if (col.isEmpty()) {
        throw InputError.at(fileName, header.line(), cell.col(), "column " + (c + 1) + " of the header has no name");
      }
      Integer before = seen.putIfAbsent(col, c);
      if (before != null) {
        throw InputError.at(fileName, header.line(), cell.col(), "column '" + col + "' appears twice in the header (also column "
            + (before + 1) + ")");
      }
    }
  }

  /**
   * The error for header column c, which names no param or const of the model; {@code others} are
   * the file's other valid column names, offered as suggestions too.
   */
  InputError notOverridable(int c, java.util.Collection<String> overridableNames, List<String> others) {
    Cell cell = header.cells().get(c);
    String col = cell.text();
    List<String> candidates = new ArrayList<>(overridableNames);
    candidates.addAll(others);
    String known = overridableNames.isEmpty() ? "the model has none"
        : "the model's params and consts are " + list(overridableNames);
    return InputError.at(fileName, header.line(), cell.col(), "column '" + col + "' is not a param or const of the model"
        + dev.odec.sema.Suggest.hint(col, candidates) + "; " + known);
  }

  /**
   * The values a row gives to params and consts: its non-empty cells by column name, except the
   * columns {@code skip}; a cell that is not a finite number is an error.
   */
  java.util.Map<String, Double> overrides(Row row, int... skip) {
    checkWidth(row);
    List<String> names = headerNames();
    java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
    for (int c = 0; c < names.size(); c++) {
      boolean skipped = false;
      for (int k : skip) skipped |= k == c;
      if (skipped) continue;
      Cell cell = row.cells().get(c);
      if (cell.text().isEmpty()) continue;
      double v = number(row, cell, names.get(c));
      if (!Double.isFinite(v)) {
        throw InputError.at(fileName, row.line(), cell.col(), "'" + cell.text() + "' in column '" + names.get(c)
            + "' is not a finite number; leave the cell empty to keep the model's value");
      }
      values.put(names.get(c), v);
    }
    return java.util.Collections.unmodifiableMap(values);
  }

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NAN = Pattern.compile("[+-]?nan", Pattern.CASE_INSENSITIVE);
  private static final Pattern INF = Pattern.compile("[+-]?inf(inity)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern MISSING = Pattern.compile("na|n/a|null|none|missing|-|\\?|\\.", Pattern.CASE_INSENSITIVE);

  /**
   * The number in a non-empty cell, NaN and ±infinity included (their spellings {@code nan},
   * {@code inf}, {@code infinity} in any case, as Python and R write them); an error naming the
   * cell when it is not a number. {@code column} is the header name, for the message.
   */
  public double number(Row row, Cell cell, String column) {
    String s = cell.text();
    if (NumberSyntax.isNumber(s)) return Double.parseDouble(s);
    if (NAN.matcher(s).matches()) return Double.NaN;
    if (INF.matcher(s).matches()) return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    String hint = MISSING.matcher(s).matches() ? "; leave the cell empty for a value that was not observed" : "";
    throw InputError.at(fileName, row.line(), cell.col(), "'" + s + "' in column '" + column + "' is not a number" + hint);
  }

  /** The header's cell texts. */
  public List<String> headerNames() {
    List<String> names = new ArrayList<>();
    for (Cell c : header.cells()) names.add(c.text());
    return names;
  }

  /** Names joined by ", ", at most 20 of them, then "… (N in all)". */
  public static String list(java.util.Collection<String> names) {
    if (names.size() <= 20) return String.join(", ", names);
    return String.join(", ", new ArrayList<>(names).subList(0, 20)) + ", … (" + names.size() + " in all)";
  }
}
