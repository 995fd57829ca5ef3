package dev.odec.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grammar-aware mutations of model text (on its tokens, lines and statements) and of CSV data
 * (on its cells), driven by one seeded {@link Random}. See {@link Fuzzer}.
 */
final class Mutator {
  private static final Pattern TOKEN = Pattern.compile(
      "\\s+|#[^\\n]*|\"[^\"\\n]*\"?|\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|[A-Za-z_][A-Za-z0-9_]*"
          + "|<->|->|<=|>=|==|!=|.", Pattern.DOTALL);

  /** Numbers at the edges: zeros, the extremes of a double, overflow, huge and tiny sizes. */
  static final String[] NUMBERS = {"0", "0.0", "1", "2", "3", "0.5", "7", "1e-300", "1e-320", "1e308", "1.7976931348623157e308",
      "1e400", "2147483648", "99999999999", "1e-5", "100000", "4", "16", ".5", "1e+2", "00", "3.0e0"};
  static final String[] KEYWORDS = {"model", "param", "const", "state", "let", "fn", "reaction", "observe", "rate", "flow",
      "import", "in", "scale", "if", "then", "else", "and", "or", "not", "real", "at", "every", "until", "when", "t", "pi",
      "d", "dt", "time", "experiment", "log", "lin", "log10"};
  static final String[] FUNCTIONS = {"exp", "log", "log10", "sqrt", "abs", "sign", "sin", "cos", "tan", "asin", "acos",
      "atan", "atan2", "sinh", "cosh", "tanh", "sigmoid", "softplus", "relu", "erf", "min", "max", "pow", "floor", "ceil",
      "sum", "dot", "length", "concat", "transpose", "normal", "lognormal", "laplace", "poisson", "uniform",
      "michaelis_menten", "hill", "dense"};
  static final String[] PUNCTUATION = {"(", ")", "[", "]", ",", ":", "=", "~", "+", "-", "*", "/", "@", "^", "<", ">", "<=",
      ">=", "==", "!=", "->", "<->", "\"", "#", "\n", ".", ";", "{", "}"};
  static final String[] ODD_TEXT = {"\u0000", "\uFEFF", "\u00e9", "\u202e", "\r", "\r\n", "\t", "\u0007", "\uFFFD", "𝛼",
      "\\", "'", "$", "`"};

  private final Random r;
  private final List<Fuzzer.Seed> corpus;

  Mutator(Random r, List<Fuzzer.Seed> corpus) {
    this.r = r;
    this.corpus = corpus;
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  private static boolean isName(String tok) {
    return !tok.isEmpty() && (Character.isLetter(tok.charAt(0)) || tok.charAt(0) == '_');
  }

  private static boolean isNumber(String tok) {
    return !tok.isEmpty() && (Character.isDigit(tok.charAt(0)) || tok.charAt(0) == '.' && tok.length() > 1);
  }

  /** One mutation of a model's text. */
  String mutate(String text) {
    List<String> toks = tokens(text);
    List<Integer> names = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    List<Integer> solid = new ArrayList<>();
    for (int i = 0; i < toks.size(); i++) {
      String t = toks.get(i);
      if (isName(t)) names.add(i);
      if (isNumber(t)) numbers.add(i);
      if (!t.isBlank() && !t.startsWith("#")) solid.add(i);
    }
    List<String> declared = new ArrayList<>();
    for (int i : names) {
      String n = toks.get(i);
      if (!List.of(KEYWORDS).contains(n) && !List.of(FUNCTIONS).contains(n)) declared.add(n);
    }
    // half the mutations keep the grammar (so that the checker, compiler and solvers are reached)
    int op = r.nextBoolean() ? pickOp(0, 1, 8, 9, 10) : r.nextInt(14);
    switch (op) {
      case 0 -> { // a number at the edges, or an ordinary one
        return mutateNumber(text);
      }
      case 1 -> { // a name replaced by another name of the model, a keyword or a function
        if (!names.isEmpty()) {
          int at = names.get(r.nextInt(names.size()));
          toks.set(at, switch (r.nextInt(3)) {
            case 0 -> declared.isEmpty() ? "x" : declared.get(r.nextInt(declared.size()));
            case 1 -> Fuzzer.pick(r, KEYWORDS);
            default -> Fuzzer.pick(r, FUNCTIONS);
          });
        }
      }
      case 2 -> { // a typo in a name
        if (!names.isEmpty()) {
          int at = names.get(r.nextInt(names.size()));
          toks.set(at, typo(toks.get(at)));
        }
      }
      case 3 -> { // a token deleted
        if (!solid.isEmpty()) toks.remove((int) solid.get(r.nextInt(solid.size())));
      }
      case 4 -> { // a token repeated
        if (!solid.isEmpty()) {
          int at = solid.get(r.nextInt(solid.size()));
          toks.add(at, toks.get(at));
        }
      }
      case 5 -> { // two tokens swapped
        if (solid.size() > 1) {
          int a = solid.get(r.nextInt(solid.size()));
          int b = solid.get(r.nextInt(solid.size()));
          String x = toks.get(a);
          toks.set(a, toks.get(b));
          toks.set(b, x);
        }
      }
      case 6 -> { // punctuation inserted
        toks.add(r.nextInt(toks.size() + 1), Fuzzer.pick(r, PUNCTUATION));
      }
      case 7 -> { // odd characters
        toks.add(r.nextInt(toks.size() + 1), Fuzzer.pick(r, ODD_TEXT));
      }
      case 8, 9 -> { // a statement of the language, inserted between statements
        return insertLine(text, statement(declared));
      }
      case 10 -> { // an expression replacing the right-hand side of '='
        List<Integer> eq = new ArrayList<>();
        for (int i = 0; i < toks.size(); i++) if (toks.get(i).equals("=")) eq.add(i);
        if (!eq.isEmpty()) {
          int at = eq.get(r.nextInt(eq.size())) + 1;
          int end = at;
          while (end < toks.size() && !toks.get(end).contains("\n")) end++;
          toks.subList(at, end).clear();
          toks.add(at, " " + expr(declared, 3));
        }
      }
      case 11 -> { // lines repeated, dropped or swapped
        String[] lines = text.split("\n", -1);
        List<String> l = new ArrayList<>(List.of(lines));
        int a = r.nextInt(l.size());
        int b = r.nextInt(l.size());
        switch (r.nextInt(3)) {
          case 0 -> l.add(b, l.get(a));
          case 1 -> l.remove(a);
          default -> {
            String x = l.get(a);
            l.set(a, l.get(b));
            l.set(b, x);
          }
        }
        return String.join("\n", l);
      }
      case 12 -> { // a line of another model spliced in
        String other = corpus.get(r.nextInt(corpus.size())).model();
        String[] lines = other.split("\n");
        return insertLine(text, lines[r.nextInt(lines.length)]);
      }
      default -> { // the text cut short, or a stretch repeated
        if (r.nextBoolean()) return text.substring(0, r.nextInt(text.length() + 1));
        int a = r.nextInt(text.length() + 1);
        int b = Math.min(text.length(), a + r.nextInt(200));
        return text.substring(0, b) + text.substring(a, b) + text.substring(b);
      }
    }
    return String.join("", toks);
  }

  /** A number of the model replaced: mostly an ordinary one, sometimes one at the edges. */
  String mutateNumber(String text) {
    List<String> toks = tokens(text);
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < toks.size(); i++) if (isNumber(toks.get(i))) numbers.add(i);
    if (numbers.isEmpty()) return text;
    String n = r.nextInt(5) < 3 ? Fuzzer.pick(r, "0", "1", "2", "0.5", "1e-3", "10", "100", "3") : Fuzzer.pick(r, NUMBERS);
    toks.set(numbers.get(r.nextInt(numbers.size())), n);
    return String.join("", toks);
  }

  private int pickOp(int... ops) {
    return ops[r.nextInt(ops.length)];
  }

  private String insertLine(String text, String line) {
    List<String> l = new ArrayList<>(List.of(text.split("\n", -1)));
    l.add(r.nextInt(l.size() + 1), line);
    return String.join("\n", l);
  }

  private String typo(String name) {
    if (name.length() < 2) return name + "x";
    StringBuilder sb = new StringBuilder(name);
    int at = r.nextInt(sb.length());
    switch (r.nextInt(4)) {
      case 0 -> sb.deleteCharAt(at);
      case 1 -> sb.insert(at, (char) ('a' + r.nextInt(26)));
      case 2 -> sb.setCharAt(at, (char) ('a' + r.nextInt(26)));
      default -> {
        if (at + 1 < sb.length()) {
          char c = sb.charAt(at);
          sb.setCharAt(at, sb.charAt(at + 1));
          sb.setCharAt(at + 1, c);
        }
      }
    }
    if (r.nextInt(20) == 0) return sb.toString().repeat(50 + r.nextInt(2000)); // a very long name
    return sb.toString();
  }

  private String name(List<String> declared) {
    if (!declared.isEmpty() && r.nextInt(3) > 0) return declared.get(r.nextInt(declared.size()));
    return Fuzzer.pick(r, "x", "y", "z", "k", "W", "S", "E", "P", "sigma", "alpha", "u", "v", "t", "pi", "time", "q9");
  }

  private String type() {
    return switch (r.nextInt(5)) {
      case 0 -> "";
      case 1 -> ": real";
      case 2 -> ": real[" + Fuzzer.pick(r, "2", "3", "1", "0", "N", "100000", "2.5", "-1") + "]";
      case 3 -> ": real[" + Fuzzer.pick(r, "2", "3", "N") + ", " + Fuzzer.pick(r, "2", "3", "4", "100000") + "]";
      default -> ": real[2, 3, 4]";
    };
  }

  /** A random statement of the language, well-formed more often than not. */
  String statement(List<String> declared) {
    String n = name(declared);
    String e = expr(declared, 3);
    return switch (r.nextInt(16)) {
      case 0 -> "param " + n + type() + " = " + e + (r.nextBoolean() ? " in [" + expr(declared, 1) + ", " + expr(declared, 1)
          + "]" : "") + (r.nextBoolean() ? " scale " + Fuzzer.pick(r, "log", "lin", "log10", "ln") : "");
      case 1 -> "param " + n + " ~ " + Fuzzer.pick(r, "normal", "lognormal", "uniform", "poisson", "laplace", "gamma") + "("
          + expr(declared, 1) + ", " + expr(declared, 1) + ")";
      case 2 -> "const " + n + type() + " = " + e;
      case 3 -> "state " + n + type() + " = " + e;
      case 4 -> "let " + n + " = " + e;
      case 5 -> "fn " + n + "(" + Fuzzer.pick(r, "a", "a, b", "a, a", "", "x, y, z") + ") = " + expr(List.of("a", "b", n), 3);
      case 6 -> "d(" + n + ")/dt = " + e;
      case 7 -> "reaction " + Fuzzer.pick(r, "", "r1: ") + Fuzzer.pick(r, "2 ", "", "0 ") + name(declared) + " "
          + Fuzzer.pick(r, "->", "<->") + " " + Fuzzer.pick(r, "0", name(declared), name(declared) + " + " + name(declared))
          + " : " + e;
      case 8 -> "observe " + n + " ~ " + Fuzzer.pick(r, "normal", "lognormal", "laplace", "poisson", "uniform", "nope") + "("
          + e + (r.nextBoolean() ? ", " + expr(declared, 1) : "") + ")";
      case 9 -> "rate " + n + " = " + e;
      case 10 -> "import " + Fuzzer.pick(r, "kinetics", "nn", "pk", "nosuch", "\"lib.ode\"", "\"../../../../etc/passwd\"",
          "\"model.ode\"", "\"/dev/zero\"", "\"data.csv\"", "\"sub/../model.ode\"");
      case 11 -> "at t = " + expr(declared, 1) + (r.nextBoolean() ? " every " + expr(declared, 1) : "") + ": " + name(declared)
          + " = " + e;
      case 12 -> "when " + expr(declared, 2) + " " + Fuzzer.pick(r, ">", "<") + " " + expr(declared, 1) + ": "
          + name(declared) + " = " + e;
      case 13 -> "flow " + n + " ~ normal(0, 1)";
      case 14 -> "model " + n;
      default -> "param " + n + ": real[" + Fuzzer.pick(r, "2", "3") + ", " + Fuzzer.pick(r, "2", "3") + "] = [[1, 2], [3, 4]]";
    };
  }

  /** A random expression over the model's names, of depth at most {@code depth}. */
  String expr(List<String> names, int depth) {
    if (depth <= 0 || r.nextInt(4) == 0) {
      return switch (r.nextInt(4)) {
        case 0, 1 -> Fuzzer.pick(r, NUMBERS);
        case 2 -> names.isEmpty() ? "t" : names.get(r.nextInt(names.size()));
        default -> Fuzzer.pick(r, "t", "pi", "x", "[1, 2]", "[[1, 0], [0, 1]]");
      };
    }
    String a = expr(names, depth - 1);
    String b = expr(names, depth - 1);
    return switch (r.nextInt(9)) {
      case 0 -> a + " " + Fuzzer.pick(r, "+", "-", "*", "/", "^", "@", "<", ">=", "==", "and", "or") + " " + b;
      case 1 -> "(" + a + ")";
      case 2 -> "-" + a;
      case 3 -> Fuzzer.pick(r, FUNCTIONS) + "(" + a + (r.nextInt(3) == 0 ? ", " + b : "") + ")";
      case 4 -> "if " + a + " > " + b + " then " + a + " else " + b;
      case 5 -> a + "[" + Fuzzer.pick(r, "1", "2", "0", "1:2", ":", "1, 1", "2:1", "100000") + "]";
      case 6 -> "[" + a + ", " + b + "]";
      case 7 -> "not " + a;
      default -> a + " " + Fuzzer.pick(r, "+", "*") + " " + b;
    };
  }

  private static final String[] CELLS = {"", "nan", "inf", "-inf", "1e308", "-1", "0", "1f", "0x10", "NA", "\"1,2\"", "\"",
      "1e-320", "abc", "2", " 3 ", "1;2", "-0", "1e400"};

  /** One or two mutations of a CSV file's cells, rows or bytes. */
  String mutateCsv(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    for (int k = 1 + r.nextInt(2); k > 0; k--) {
      int at = r.nextInt(lines.size());
      String[] cells = lines.get(at).split(",", -1);
      switch (r.nextInt(7)) {
        case 0, 1 -> {
          cells[r.nextInt(cells.length)] = Fuzzer.pick(r, CELLS);
          lines.set(at, String.join(",", cells));
        }
        case 2 -> lines.set(at, lines.get(at) + ",");
        case 3 -> lines.remove(at);
        case 4 -> lines.add(at, lines.get(r.nextInt(lines.size())));
        case 5 -> lines.set(at, Fuzzer.pick(r, ODD_TEXT) + lines.get(at));
        default -> lines.set(0, lines.get(0).replace("time", Fuzzer.pick(r, "Time", "t", "time,time", "experiment")));
      }
      if (lines.isEmpty()) lines.add("");
    }
    return String.join("\n", lines);
  }
}
