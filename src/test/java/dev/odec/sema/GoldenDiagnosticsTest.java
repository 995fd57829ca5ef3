package dev.odec.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.odec.diag.Diagnostic;
import dev.odec.diag.Diagnostics;
import dev.odec.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden diagnostics: each file under src/test/resources/diagnostics marks every line that must
 * be reported with a trailing {@code # error: MESSAGE}; the front end must report exactly those
 * errors, at those lines, with those messages, and nothing else.
 */
class GoldenDiagnosticsTest {
  private static final Path DIR = Path.of("src/test/resources/diagnostics");
  private static final String MARK = "# error: ";

  @TestFactory
  Stream<DynamicTest> everyGoldenFile() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".ode")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> expected = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int at = lines[i].indexOf(MARK);
      if (at >= 0) expected.add((i + 1) + ": " + lines[i].substring(at + MARK.length()).strip());
    }
    assertFalse(expected.isEmpty(), "a golden file must expect at least one error");
    Diagnostics diags = new Diagnostics();
    Frontend.compile(new SourceFile(file.toString(), text), file, diags);
    List<String> actual = new ArrayList<>();
    for (Diagnostic d : diags.sorted()) actual.add(d.span().line() + ": " + d.message());
    assertEquals(String.join("\n", expected), String.join("\n", actual), "diagnostics of " + file.getFileName());
  }
}
