package dev.odec.cli;

/** CSV fields as RFC 4180 writes them: quoted when they hold a comma, a quote or a line break. */
final class Csv {
  private Csv() {}

  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static String header(java.util.List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) sb.append(i == 0 ? "" : ",").append(field(names.get(i)));
    return sb.toString();
  }
}
