package dev.odec.sema;

import java.util.Collection;

/**
 * "Did you mean" suggestions by edit distance, with bounded work: a suggestion is only made
 * within a small distance (at most 3 edits), so the distance is computed in a band of that
 * width around the diagonal and abandoned as soon as it must exceed the limit. The cost per
 * candidate is therefore O(length × 7) time and O(length) memory, whatever the lengths (a full
 * table for two 50,000-character names would be 2.5·10⁹ cells); names longer than
 * {@link #MAX_LENGTH} get no suggestion at all.
 */
public final class Suggest {
  /** Names longer than this get no suggestion (no one mistypes a name this long by one letter). */
  static final int MAX_LENGTH = 64;

  private Suggest() {}

  /** The closest candidate within a distance that makes a typo plausible, or null. */
  public static String closest(String word, Collection<String> candidates) {
    if (word.length() > MAX_LENGTH) return null;
    int limit = limit(word.length());
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (Math.abs(c.length() - word.length()) > limit) continue;
      int d = distance(word, c, limit);
      if (d < bestD || (d == bestD && best != null && c.compareTo(best) < 0)) {
        bestD = d;
        best = c;
      }
    }
    return bestD <= limit ? best : null;
  }

  /** How many edits still make a plausible typo of a word of this length. */
  private static int limit(int length) {
    return length <= 2 ? 0 : length <= 4 ? 1 : length <= 7 ? 2 : 3;
  }

  /** " (did you mean 'x'?)" or "". */
  public static String hint(String word, Collection<String> candidates) {
    String c = closest(word, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /** Optimal string alignment distance (Levenshtein with adjacent transpositions), unbounded. */
  static int distance(String a, String b) {
    return distance(a, b, Math.max(a.length(), b.length()));
  }

  /**
   * The optimal string alignment distance of a and b, ignoring case, if it is at most
   * {@code limit}, else some value above {@code limit}. Only the cells within {@code limit} of
   * the diagonal can hold a value ≤ limit, so only those are computed, three rows at a time.
   */
  static int distance(String a, String b, int limit) {
    int n = a.length();
    int m = b.length();
    if (Math.abs(n - m) > limit) return limit + 1;
    int over = limit + 1;
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) prev[j] = j <= limit ? j : over;
    for (int i = 1; i <= n; i++) {
      int from = Math.max(1, i - limit);
      int to = Math.min(m, i + limit);
      java.util.Arrays.fill(cur, over);
      cur[0] = i <= limit ? i : over;
      int rowMin = cur[0];
      for (int j = from; j <= to; j++) {
        int cost = same(a, i - 1, b, j - 1) ? 0 : 1;
        int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && same(a, i - 1, b, j - 2) && same(a, i - 2, b, j - 1)) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        cur[j] = Math.min(d, over);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) return over;
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }

  private static boolean same(String a, int i, String b, int j) {
    char x = a.charAt(i);
    char y = b.charAt(j);
    return x == y || Character.toLowerCase(x) == Character.toLowerCase(y);
  }
}
