package dev.odec.source;

import com.google.common.primitives.Ints;
import java.util.ArrayList;
import java.util.List;

/** The text of one model file and where its lines start, for positions and caret lines. */
public final class SourceFile {
  private final String displayName;
  private final String text;
  private final int[] lineStarts;

  public SourceFile(String displayName, String text) {
    this.displayName = displayName;
    this.text = text;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') starts.add(i + 1);
    }
    this.lineStarts = Ints.toArray(starts);
  }

  /** The name diagnostics print: the path as the user gave it. */
  public String name() {
    return displayName;
  }

  public String text() {
    return text;
  }

  /** The length of line {@code n} (1-based) with its terminator, or 0 past the end; no copy is made. */
  public int lineLength(int n) {
    if (n < 1 || n > lineStarts.length) return 0;
    return (n < lineStarts.length ? lineStarts[n] : text.length()) - lineStarts[n - 1];
  }

  /** Line {@code n} (1-based) without its line terminator, or "" past the end. */
  public String line(int n) {
    if (n < 1 || n > lineStarts.length) return "";
    int start = lineStarts[n - 1];
    int end = n < lineStarts.length ? lineStarts[n] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') end--;
    return text.substring(start, Math.max(start, end));
  }
}
