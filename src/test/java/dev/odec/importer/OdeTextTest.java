package dev.odec.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expression writer against the language's own parser: random formulas are written as
 * {@code .ode} text, compiled by odec and evaluated, and must give exactly what the formula
 * means (so every parenthesis the grammar needs is there, and the grouping of the source is kept).
 * And PEtab's formula syntax read by {@link Formula}.
 */
class OdeTextTest {
  private static final double X = 0.7;
  private static final double Y = -1.3;

  /** What a formula means, evaluated directly (x and y are the only symbols). */
  static double eval(MathExpr e) {
    if (e instanceof MathExpr.Num n) return n.value();
    if (e instanceof MathExpr.Sym s) return s.id().equals("x") ? X : Y;
    MathExpr.Op o = (MathExpr.Op) e;
    List<MathExpr> a = o.args();
    return switch (o.op()) {
      case "+" -> a.stream().mapToDouble(OdeTextTest::eval).reduce(Double::sum).orElseThrow();
      case "*" -> a.stream().mapToDouble(OdeTextTest::eval).reduce((p, q) -> p * q).orElseThrow();
      case "-" -> eval(a.get(0)) - eval(a.get(1));
      case "/" -> eval(a.get(0)) / eval(a.get(1));
      case "^" -> Math.pow(eval(a.get(0)), eval(a.get(1)));
      case "neg" -> -eval(a.get(0));
      case "exp" -> Math.exp(eval(a.get(0)));
      case "if" -> eval(a.get(0)) != 0 ? eval(a.get(1)) : eval(a.get(2));
      case "<" -> eval(a.get(0)) < eval(a.get(1)) ? 1 : 0;
      case ">=" -> eval(a.get(0)) >= eval(a.get(1)) ? 1 : 0;
      case "and" -> eval(a.get(0)) != 0 && eval(a.get(1)) != 0 ? 1 : 0;
      case "or" -> eval(a.get(0)) != 0 || eval(a.get(1)) != 0 ? 1 : 0;
      case "not" -> eval(a.get(0)) == 0 ? 1 : 0;
      default -> throw new IllegalArgumentException(o.op());
    };
  }

  /**
   * Every subexpression finite and no divisor zero: the language folds x - x and 0*x to 0 (it
   * assumes finite values, LANGUAGE.md, "Simplification"), so 1/(x - x) has no sign to compare.
   */
  static boolean wellDefined(MathExpr e) {
    if (!Double.isFinite(eval(e))) return false;
    if (e instanceof MathExpr.Op o) {
      if (o.op().equals("/") && eval(o.args().get(1)) == 0) return false;
      for (MathExpr a : o.args()) if (!wellDefined(a)) return false;
    }
    return true;
  }

  static MathExpr random(Random r, int depth) {
    if (depth == 0 || r.nextInt(4) == 0) {
      return switch (r.nextInt(3)) {
        case 0 -> new MathExpr.Sym("x");
        case 1 -> new MathExpr.Sym("y");
        default -> new MathExpr.Num((r.nextInt(9) - 4) * 0.5);
      };
    }
    MathExpr a = random(r, depth - 1);
    MathExpr b = random(r, depth - 1);
    return switch (r.nextInt(8)) {
      case 0 -> MathExpr.op("+", a, b);
      case 1 -> MathExpr.op("-", a, b);
      case 2 -> MathExpr.op("*", a, b);
      case 3 -> MathExpr.op("/", a, b);
      case 4 -> MathExpr.op("^", MathExpr.op("exp", a), MathExpr.op("/", b, new MathExpr.Num(4)));
      case 5 -> MathExpr.op("neg", a);
      case 6 -> MathExpr.op("if", MathExpr.op(r.nextBoolean() ? "<" : ">=", a, b), a, b);
      default -> MathExpr.op("if", MathExpr.op(r.nextBoolean() ? "and" : "or", MathExpr.op("<", a, b),
          MathExpr.op("not", MathExpr.op(">=", b, new MathExpr.Num(0)))), b, a);
    };
  }

  @Test
  void writtenFormulasMeanWhatTheyMeanWhenOdecReadsThem(@TempDir Path dir) throws IOException {
    Random r = new Random(11);
    List<MathExpr> exprs = new ArrayList<>();
    StringBuilder model = new StringBuilder("const x = 0.7\nconst y = -1.3\nstate s = 0\nd(s)/dt = 0\n");
    OdeText text = new OdeText(id -> id);
    while (exprs.size() < 200) {
      MathExpr e = random(r, 4);
      if (!wellDefined(e)) continue;
      model.append("let f").append(exprs.size()).append(" = ").append(text.write(e)).append('\n');
      exprs.add(e);
    }
    Path p = dir.resolve("exprs.ode");
    Files.writeString(p, model);
    SbmlImportTest.Run run = SbmlImportTest.cli("run", p.toString(), "--t1", "1", "--saveat", "0", "--derived");
    assertEquals(0, run.code(), run.err());
    var row = SbmlImportTest.rows(run.out()).get(0);
    for (int i = 0; i < exprs.size(); i++) {
      assertEquals(eval(exprs.get(i)), row.get("f" + i), 0.0, text.write(exprs.get(i)));
    }
  }

  private static String write(String petab) {
    return new OdeText(id -> id).write(Formula.parse(petab, "obs.tsv", 2, 5));
  }

  @Test
  void petabFormulasReadAsSympyWritesThem() {
    assertEquals("-x^2", write("-x**2"));
    assertEquals("2^(-x)", write("2^-x"));
    assertEquals("x^y^2", write("x**y**2"));
    assertEquals("log(x)/log(3)", write("log(x, 3)"));
    assertEquals("log(x)/log(2)", write("log2(x)"));
    assertEquals("a - (b - c)", write("a - (b - c)"));
    assertEquals("a*b/c", write("a*b/c"));
    assertEquals("a/(b*c)", write("a/(b*c)"));
    assertEquals("t + 1e-05", write("time + 1E-5"));
    assertEquals("pi*x", write("pi * x"));
  }

  @Test
  void aBadPetabFormulaIsReportedInItsCell() {
    String m = assertThrows(InputError.class, () -> Formula.parse("a + foo(b)", "obs.tsv", 2, 5)).getMessage();
    assertTrue(m.startsWith("obs.tsv:2:9: error: unknown function 'foo' in the formula 'a + foo(b)'"), m);
    m = assertThrows(InputError.class, () -> Formula.parse("(a + b", "obs.tsv", 3, 1)).getMessage();
    assertTrue(m.startsWith("obs.tsv:3:7: error: a ')' is missing"), m);
  }
}
