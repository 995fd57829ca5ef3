package dev.odec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.odec.cli.Main;
import dev.odec.codegen.c.CProgram;
import dev.odec.runtime.NativeToolchain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps the documentation true: every {@code ./odec ...} command in a fenced {@code sh} block of
 * README.md and docs/*.md runs, in document order, in a scratch copy of the repository's example
 * files, through the CLI entry point in-process, and must exit with 0 (or with the code its
 * trailing comment names: {@code # exit 1}); every {@code ode} block must pass {@code odec check}
 * (or equal the file its marker names); nothing in docs/ or the README points outside the
 * repository.
 *
 * <p>The markers (an HTML comment on the line before the fence, invisible on GitHub), documented
 * in docs/CLI.md ("How the documentation is tested"):
 * <ul>
 *   <li>{@code <!-- not run -->}: the block is shown but not run (it needs a GPU or the reader's
 *       own files);
 *   <li>{@code <!-- needs cc -->}: run only where a C compiler is found (as the C backend's tests);
 *   <li>{@code <!-- fragment -->}: an {@code ode} block that is part of a model, not checked;
 *   <li>{@code <!-- file: PATH -->}: an {@code ode} block that must equal the file PATH.
 * </ul>
 *
 * <p>Shell syntax understood: {@code \} line continuations, {@code #} comments, quotes,
 * {@code &&} and {@code ;} sequences, {@code cd DIR}, and {@code > FILE} for odec's stdout. Lines
 * starting with {@code mvn} (the build itself) and other programs ({@code python3}, {@code head})
 * are not run; a pipe into or out of odec is refused so that nothing is silently skipped. Relative
 * paths in odec's file arguments (positional arguments and options whose label names a file or
 * folder) are resolved in the scratch copy, since the test JVM's working directory cannot change.
 */
class DocsCommandsTest {
  /** The folders of the repository that documented commands read, copied into each scratch copy. */
  private static final List<String> COPIED = List.of("examples", "stdlib", "src/test/resources");

  private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z]*)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^<!--\\s*(not run|needs cc|fragment|file:\\s*(\\S+))\\s*-->$");
  private static final Pattern EXIT = Pattern.compile("^exit\\s+(\\d+)\\b.*");
  private static final Pattern FILE_LABEL = Pattern.compile("(?i).*(FILE|DIR|\\.csv|\\.ode|\\.yaml|\\.json|\\.svg|\\.png|\\.xml).*");

  /** One fenced block: its language, first line (1-based, of the opening fence), marker and lines. */
  record Block(Path doc, int line, String lang, String marker, List<String> lines) {}

  /** One odec invocation: where it is written, its arguments, folder, stdout file and exit code. */
  record Command(Path doc, int line, List<String> args, String dir, String stdoutFile, int exit) {
    String where() {
      return doc + ":" + line + ": ./odec " + String.join(" ", args);
    }
  }

  static List<Path> docs() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("README.md"));
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  static List<Block> blocks(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = FENCE.matcher(lines.get(i));
      if (!m.matches()) continue;
      String marker = null;
      for (int j = i - 1; j >= 0 && marker == null; j--) {
        String prev = lines.get(j).strip();
        if (prev.isEmpty()) continue;
        Matcher mk = MARKER.matcher(prev);
        marker = mk.matches() ? mk.group(1) : "";
      }
      int start = i;
      List<String> body = new ArrayList<>();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) body.add(lines.get(i));
      if (i == lines.size()) fail(doc + ":" + (start + 1) + ": the fenced block is never closed");
      out.add(new Block(doc, start + 1, m.group(1), marker == null ? "" : marker, body));
    }
    return out;
  }

  /** The odec commands of one {@code sh} block, with {@code cd} folders tracked. */
  static List<Command> commands(Block b, String[] dir) {
    List<Command> out = new ArrayList<>();
    for (int i = 0; i < b.lines.size(); i++) {
      int line = b.line + 1 + i;
      StringBuilder joined = new StringBuilder(b.lines.get(i));
      while (joined.toString().stripTrailing().endsWith("\\") && i + 1 < b.lines.size()) {
        String s = joined.toString().stripTrailing();
        joined.setLength(0);
        joined.append(s, 0, s.length() - 1).append(' ').append(b.lines.get(++i));
      }
      List<String> tokens = new ArrayList<>();
      String comment = tokenize(joined.toString(), tokens, b.doc + ":" + line);
      Matcher exit = EXIT.matcher(comment.strip());
      int code = exit.matches() ? Integer.parseInt(exit.group(1)) : 0;
      List<String> cmd = new ArrayList<>();
      tokens.add("&&");
      for (String t : tokens) {
        if (!t.equals("&&") && !t.equals(";")) {
          cmd.add(t);
          continue;
        }
        if (cmd.isEmpty()) continue;
        String program = cmd.get(0);
        if (program.equals("cd")) {
          assertEquals(2, cmd.size(), b.doc + ":" + line + ": cd takes one folder");
          dir[0] = Path.of(dir[0]).resolve(cmd.get(1)).normalize().toString();
        } else if (program.equals("./odec")) {
          String stdout = null;
          int gt = cmd.indexOf(">");
          if (gt >= 0) {
            assertEquals(gt + 2, cmd.size(), b.doc + ":" + line + ": '>' takes one file, last");
            stdout = cmd.get(gt + 1);
            cmd = cmd.subList(0, gt);
          }
          out.add(new Command(b.doc, line, List.copyOf(cmd.subList(1, cmd.size())), dir[0], stdout, code));
        } else {
          assertFalse(cmd.contains("./odec"), b.doc + ":" + line + ": './odec' must start its command");
        }
        cmd = new ArrayList<>();
      }
    }
    return out;
  }

  /**
   * Splits a shell line into words (quotes and backslashes as the shell reads them; {@code &&},
   * {@code ;}, {@code >} as words of their own) and returns the comment after an unquoted
   * {@code #} at the start of a word ("" when none).
   */
  static String tokenize(String line, List<String> out, String where) {
    StringBuilder w = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (w != null) out.add(w.toString());
        w = null;
      } else if (c == '#' && w == null) {
        return line.substring(i + 1);
      } else if (c == '\'' || c == '"') {
        int end = line.indexOf(c, i + 1);
        if (end < 0) fail(where + ": unclosed quote");
        if (w == null) w = new StringBuilder();
        w.append(line, i + 1, end);
        i = end;
      } else if (c == '\\' && i + 1 < line.length()) {
        if (w == null) w = new StringBuilder();
        w.append(line.charAt(++i));
      } else if (c == '|' || c == '<' || c == '`' || c == '$') {
        fail(where + ": '" + c + "' is shell syntax this test does not run; write the command without it or mark the "
            + "block <!-- not run -->");
      } else if (c == ';' || c == '>' || (c == '&' && line.startsWith("&&", i))) {
        if (w != null) out.add(w.toString());
        w = null;
        out.add(c == '&' ? "&&" : String.valueOf(c));
        if (c == '&') i++;
      } else {
        if (w == null) w = new StringBuilder();
        w.append(c);
      }
    }
    if (w != null) out.add(w.toString());
    return "";
  }

  /**
   * The arguments with every relative file argument resolved in the scratch copy: positional
   * arguments of the subcommands, values of options whose label names a file or folder (a number
   * for {@code --ensemble FILE.csv|N} stays), and the FILE of {@code --set @FILE}.
   */
  static String[] resolve(List<String> args, Path cwd) {
    CommandLine root = new CommandLine(new Main());
    CommandSpec spec = root.getCommandSpec();
    List<String> out = new ArrayList<>();
    boolean afterDoubleDash = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i == 0 && spec.subcommands().containsKey(a)) {
        spec = spec.subcommands().get(a).getCommandSpec();
        out.add(a);
        continue;
      }
      if (!afterDoubleDash && a.startsWith("-") && a.length() > 1) {
        if (a.equals("--")) {
          afterDoubleDash = true;
          out.add(a);
          continue;
        }
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        OptionSpec o = spec.findOption(name);
        boolean takesValue = o != null && o.arity().max() > 0;
        if (!takesValue) {
          out.add(a);
        } else if (eq >= 0) {
          out.add(name + "=" + value(o, a.substring(eq + 1), cwd));
        } else {
          out.add(a);
          if (i + 1 < args.size()) out.add(value(o, args.get(++i), cwd));
        }
        continue;
      }
      boolean isFile = spec.positionalParameters().stream().anyMatch(DocsCommandsTest::namesFile);
      out.add(isFile ? cwd.resolve(a).toString() : a);
    }
    return out.toArray(String[]::new);
  }

  private static boolean namesFile(ArgSpec a) {
    Class<?> t = a.type();
    return t == Path.class || t == java.io.File.class || FILE_LABEL.matcher(a.paramLabel()).matches();
  }

  private static String value(OptionSpec o, String v, Path cwd) {
    if (v.startsWith("@")) return "@" + cwd.resolve(v.substring(1));
    if (!namesFile(o) || v.matches("[0-9]+")) return v;
    return cwd.resolve(v).toString();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static boolean hasCc() {
    try {
      return NativeToolchain.find(CProgram.Target.C, null, null) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** One test per document: its commands in order, in a scratch copy of the example files. */
  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandRuns(@TempDir Path scratch) throws IOException {
    boolean cc = hasCc();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : docs()) {
      List<Command> commands = new ArrayList<>();
      String[] dir = {""};
      for (Block b : blocks(doc)) {
        if (!b.lang.equals("sh") || b.marker.equals("not run") || b.marker.equals("needs cc") && !cc) continue;
        commands.addAll(commands(b, dir));
      }
      if (commands.isEmpty()) continue;
      tests.add(DynamicTest.dynamicTest(doc.toString() + " (" + commands.size() + " commands)", () -> {
        Path copy = scratch.resolve(doc.getFileName().toString());
        for (String d : COPIED) copyTree(Path.of(d), copy.resolve(d));
        for (Command c : commands) {
          Path cwd = copy.resolve(c.dir);
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          int code = Main.execute(resolve(c.args, cwd), new PrintWriter(out), new PrintWriter(err));
          assertEquals(c.exit, code, c.where() + "\nstderr:\n" + err);
          assertFalse(err.toString().contains("\tat "), c.where() + ": a stack trace\n" + err);
          if (c.stdoutFile != null) Files.writeString(cwd.resolve(c.stdoutFile), out.toString());
        }
      }));
    }
    return tests.stream();
  }

  /**
   * Every command of {@code odec --help} (density and generate included) is shown at work in a
   * block this test runs, so no command's documentation goes untested.
   */
  @Test
  void everyCommandIsRunSomewhereInTheDocs() throws IOException {
    Set<String> run = new TreeSet<>();
    for (Path doc : docs()) {
      String[] dir = {""};
      for (Block b : blocks(doc)) {
        if (!b.lang.equals("sh") || b.marker.equals("not run") || b.marker.equals("needs cc")) continue;
        for (Command c : commands(b, dir)) if (!c.args.isEmpty()) run.add(c.args.get(0));
      }
    }
    Set<String> all = new TreeSet<>(new CommandLine(new Main()).getSubcommands().keySet());
    all.remove("help");
    all.removeAll(run);
    assertEquals(Set.of(), all, "commands no documented sh block runs");
  }

  /** Every {@code ode} block is a model that checks, or equals the file it says it shows. */
  @TestFactory
  Stream<DynamicTest> everyDocumentedModelChecks(@TempDir Path scratch) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : docs()) {
      for (Block b : blocks(doc)) {
        if (!b.lang.equals("ode") || b.marker.equals("fragment") || b.marker.equals("not run")) continue;
        String text = String.join("\n", b.lines) + "\n";
        tests.add(DynamicTest.dynamicTest(doc + ":" + b.line, () -> {
          if (b.marker.startsWith("file:")) {
            Path shown = Path.of(b.marker.substring(5).strip());
            assertEquals(Files.readString(shown), text, doc + ":" + b.line + " shows " + shown + " as it is not");
            return;
          }
          Path model = scratch.resolve(doc.getFileName() + "-" + b.line + ".ode");
          Files.writeString(model, text);
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          int code = Main.execute(new String[] {"check", model.toString()}, new PrintWriter(out), new PrintWriter(err));
          assertEquals(0, code, doc + ":" + b.line + ": the model does not check (mark a part of a model "
              + "<!-- fragment -->):\n" + err);
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void noDocumentPointsOutsideTheRepository() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> s = Files.walk(Path.of("docs"))) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f);
      } catch (IOException | UncheckedIOException e) {
        continue; // a binary figure
      }
      assertFalse(text.contains("../shared"), f + " points to ../shared, which a clone does not have");
    }
  }

  /**
   * `odec COMMAND --help`, which CLI.md sends readers to, prints every command's help without
   * picocli complaining on the JVM's stderr (a lone '%' in a description did).
   */
  @Test
  void everyCommandsHelpFormats() {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream jvmErr = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(jvmErr, true, StandardCharsets.UTF_8));
    try {
      for (String command : new CommandLine(new Main()).getSubcommands().keySet()) {
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {command, "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code, command);
        assertTrue(out.toString().contains("Usage: odec " + command), out.toString());
      }
    } finally {
      System.setErr(saved);
    }
    assertEquals("", jvmErr.toString(StandardCharsets.UTF_8));
  }

  /** The harness itself: continuations, comments, sequences and path resolution. */
  @Test
  void commandsAreExtractedAsTheShellWouldRunThem() {
    Block b = new Block(Path.of("x.md"), 10, "sh", "", List.of(
        "./odec run examples/sir.ode --t1 5 \\",
        "    --out 'a b.csv'   # exit 3: a comment",
        "mvn -B verify",
        "cd examples && ./odec check sir.ode; ./odec compile sir.ode --emit ir > ir.txt",
        "python3 plot.py"));
    String[] dir = {""};
    List<Command> cs = commands(b, dir);
    assertEquals(3, cs.size());
    assertEquals(List.of("run", "examples/sir.ode", "--t1", "5", "--out", "a b.csv"), cs.get(0).args);
    assertEquals(3, cs.get(0).exit);
    assertEquals(11, cs.get(0).line);
    assertEquals("examples", cs.get(1).dir);
    assertEquals(List.of("check", "sir.ode"), cs.get(1).args);
    assertEquals("ir.txt", cs.get(2).stdoutFile);
    Path cwd = Path.of("/w");
    assertEquals(List.of("run", "/w/m.ode", "--t1", "5", "--out", "/w/o.csv", "--set", "@/w/best.txt", "--set", "k=1",
        "--ensemble", "100", "--plot=/w/p.svg"),
        List.of(resolve(List.of("run", "m.ode", "--t1", "5", "--out", "o.csv", "--set", "@best.txt", "--set", "k=1",
            "--ensemble", "100", "--plot=p.svg"), cwd)));
    assertEquals(List.of("compile", "/w/m.ode", "--emit", "ir"), List.of(resolve(List.of("compile", "m.ode", "--emit", "ir"), cwd)));
    assertEquals(List.of("import", "/w/p.yaml", "--out", "/w/mine"), List.of(resolve(List.of("import", "p.yaml", "--out", "mine"), cwd)));
    assertEquals(List.of("help", "run"), List.of(resolve(List.of("help", "run"), cwd)));
    assertTrue(blocksOf("<!-- not run -->\n\n```sh\n./odec x\n```\n").get(0).marker.equals("not run"));
  }

  private static List<Block> blocksOf(String text) {
    try {
      Path f = Files.createTempFile("doc", ".md");
      try {
        Files.writeString(f, text);
        return blocks(f);
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
