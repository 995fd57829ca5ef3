package dev.odec.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.odec.diag.Diagnostics;
import dev.odec.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bounded "did you mean": the banded distance equals the full optimal-string-alignment
 * table wherever it is within the limit (checked against a plain implementation on random
 * strings), and names tens of thousands of characters long neither exhaust memory nor get a
 * suggestion.
 */
class SuggestTest {
  /** The textbook full-table optimal string alignment distance, the reference. */
  private static int reference(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String random(Random rnd, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) sb.append((char) ('a' + rnd.nextInt(4)));
    return sb.toString();
  }

  @Test
  void theBandedDistanceAgreesWithTheFullTableWithinItsLimit() {
    Random rnd = new Random(13);
    int agreed = 0;
    for (int k = 0; k < 20_000; k++) {
      String a = random(rnd, rnd.nextInt(12));
      String b = rnd.nextBoolean() ? random(rnd, rnd.nextInt(12)) : mutate(rnd, a);
      int limit = rnd.nextInt(5);
      int want = reference(a, b);
      int got = Suggest.distance(a, b, limit);
      if (want <= limit) {
        assertEquals(want, got, a + " / " + b + " limit " + limit);
        agreed++;
      } else {
        assertTrue(got > limit, a + " / " + b + ": " + got + " within limit " + limit + " but the distance is " + want);
      }
      assertEquals(want, Suggest.distance(a, b));
      assertEquals(Suggest.distance(a, b, limit), Suggest.distance(a.toUpperCase(), b, limit), "case is ignored");
    }
    assertTrue(agreed > 5_000, "cases within the limit: " + agreed);
  }

  private static String mutate(Random rnd, String s) {
    StringBuilder sb = new StringBuilder(s);
    for (int e = rnd.nextInt(4); e > 0; e--) {
      int op = rnd.nextInt(4);
      int at = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
      if (op == 0 || sb.length() < 2) sb.insert(at, (char) ('a' + rnd.nextInt(4)));
      else if (op == 1) sb.deleteCharAt(at);
      else if (op == 2) sb.setCharAt(at, (char) ('a' + rnd.nextInt(4)));
      else if (at + 1 < sb.length()) {
        char c = sb.charAt(at);
        sb.setCharAt(at, sb.charAt(at + 1));
        sb.setCharAt(at + 1, c);
      }
    }
    return sb.toString();
  }

  @Test
  void typicalTyposAreStillSuggested() {
    assertEquals("alpha", Suggest.closest("alhpa", List.of("alpha", "beta", "gamma")));
    assertEquals("michaelis_menten", Suggest.closest("michaelis_mentn", List.of("hill", "michaelis_menten")));
    assertNull(Suggest.closest("zeta", List.of("alpha", "beta_long_name")));
  }

  /**
   * 5,000 misspelt names among 5,000 declared ones: suggestions are looked for in the first
   * {@link Elaborator#MAX_HINTS} only (searching for all of 20,000 such names took minutes).
   */
  @Test
  void manyMisspeltNamesGetSuggestionsForTheFirstOnly() {
    int n = 5_000;
    StringBuilder model = new StringBuilder();
    for (int i = 0; i < n; i++) model.append("param rate").append(i).append("_k = 1\n");
    model.append("state x = 1\nd(x)/dt = -x\n");
    for (int i = 0; i < n; i++) model.append("let u").append(i).append(" = rate").append(i).append("_q\n");
    Diagnostics diags = new Diagnostics();
    Frontend.compile(new SourceFile("many.ode", model.toString()), Path.of("many.ode"), diags);
    assertEquals(n, diags.errorCount());
    long suggested = diags.sorted().stream().filter(d -> d.message().contains("did you mean")).count();
    assertEquals(Elaborator.MAX_HINTS, suggested);
  }

  /** A 50,000-character misspelt name: the full table would be 2.5·10⁹ cells (10 GB). */
  @Test
  void aHugeMisspeltNameNeitherExhaustsMemoryNorGetsASuggestion() {
    String name = "k".repeat(50_000);
    String other = "k".repeat(49_999) + "q";
    assertNull(Suggest.closest(name, List.of(other, "alpha")));
    StringBuilder model = new StringBuilder("param ").append(other).append(" = 1\nstate x = 1\n");
    model.append("d(x)/dt = -").append(name).append(" * x\n");
    Diagnostics diags = new Diagnostics();
    Frontend.compile(new SourceFile("huge.ode", model.toString()), Path.of("huge.ode"), diags);
    assertEquals(1, diags.errorCount());
    String message = diags.sorted().get(0).message();
    assertTrue(message.startsWith("unknown name 'kkkk") && !message.contains("did you mean"), message.substring(0, 60));
  }
}
