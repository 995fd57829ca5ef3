package dev.odec.diag;

import dev.odec.source.Span;

/**
 * Turns diagnostics into the text people read:
 * <pre>
 * model.ode:12:5: error: unknown name 'alhpa' (did you mean 'alpha'?)
 *    12 | d(prey)/dt = alhpa*prey
 *       |              ^^^^^
 * </pre>
 */
public final class Renderer {
  private Renderer() {}

  public static String render(Diagnostic d, boolean withSource) {
    Span s = d.span();
    StringBuilder sb = new StringBuilder();
    if (s != null) sb.append(s).append(": ");
    sb.append(d.severity().text).append(": ").append(d.message());
    // a long line is not shown (and not copied: 20,000 errors on one 200 KB line would copy 4 GB)
    if (withSource && s != null && s.file() != null && s.line() >= 1 && s.file().lineLength(s.line()) <= MAX_LINE) {
      String line = s.file().line(s.line());
      if (!line.isEmpty() && isPrintable(line)) {
        String num = Integer.toString(s.line());
        sb.append('\n').append(" ".repeat(Math.max(0, 5 - num.length()))).append(num).append(" | ").append(line);
        sb.append('\n').append(" ".repeat(5)).append(" | ");
        for (int i = 1; i < s.col() && i - 1 < line.length(); i++) sb.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
        sb.append("^".repeat(Math.max(1, Math.min(s.length(), Math.max(1, line.length() - s.col() + 1)))));
      }
    }
    return sb.toString();
  }

  private static boolean isPrintable(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 && c != '\t') return false;
      if (c == 0xFFFD) return false;
    }
    return line.length() < MAX_LINE;
  }

  /** Source lines longer than this are not quoted under a diagnostic. */
  private static final int MAX_LINE = 400;

  /** Quotes a user-given text safely for a one-line message (control characters escaped). */
  public static String quote(String text) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 40; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xFFFD) sb.append(String.format("\\x%02x", (int) c & 0xff));
      else sb.append(c);
    }
    if (text.length() > 40) sb.append("...");
    return sb.append('\'').toString();
  }
}
