package dev.odec.sema;

import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.ir.OdeSystem;
import dev.odec.source.InputFiles;
import dev.odec.source.SourceFile;
import dev.odec.syntax.Parser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The whole front end: a model file's path in, a lowered {@link OdeSystem} or diagnostics out. */
public final class Frontend {
  /**
   * What the front end made: the AST (null if unreadable), the system (null on errors), the
   * diagnostics, and the files read for imports (real paths; outputs must not overwrite them).
   */
  public record Result(ModelFile ast, OdeSystem system, Diagnostics diagnostics, String ioError, List<Path> imports) {
    public Result(ModelFile ast, OdeSystem system, Diagnostics diagnostics, String ioError) {
      this(ast, system, diagnostics, ioError, List.of());
    }

    public boolean ok() {
      return system != null && !diagnostics.hasErrors();
    }
  }

  private Frontend() {}

  public static Result compile(Path path) {
    return compile(path, List.of());
  }

  /**
   * Compiles the model at {@code path}; quoted imports are read from its folder tree, the stdlib
   * folder and the folders of {@code importPath} (see {@link ModuleLoader}).
   */
  public static Result compile(Path path, List<Path> importPath) {
    Diagnostics diags = new Diagnostics();
    for (Path dir : importPath) {
      if (!Files.isDirectory(dir)) return new Result(null, null, diags, "--import-path " + dir + " is not a folder");
    }
    String text;
    if (!Files.exists(path)) return new Result(null, null, diags, "no such file: " + path);
    if (Files.isDirectory(path)) return new Result(null, null, diags, path + " is a directory, not a model file");
    try {
      text = decode(InputFiles.read(path, InputFiles.MAX_MODEL_BYTES, "model"));
    } catch (IOException e) {
      String why = e instanceof InputFiles.TooLarge ? e.getMessage() : "cannot read " + path + ": " + e.getMessage();
      return new Result(null, null, diags, why);
    }
    return compile(new SourceFile(path.toString(), text), path, importPath, diags);
  }

  public static Result compile(SourceFile file, Path path, Diagnostics diags) {
    return compile(file, path, List.of(), diags);
  }

  private static Result compile(SourceFile file, Path path, List<Path> importPath, Diagnostics diags) {
    String problem = notAModel(file.text());
    if (problem != null) {
      diags.error(new dev.odec.source.Span(file, 1, 1, 1), problem);
      return new Result(null, null, diags, null);
    }
    ModelFile ast = Parser.parse(file, diags);
    if (diags.hasErrors()) return new Result(ast, null, diags, null);
    List<Path> roots = new ArrayList<>();
    roots.add(path == null ? Path.of(".") : path.toAbsolutePath().getParent());
    roots.addAll(importPath);
    ModuleLoader loader = new ModuleLoader(diags, roots);
    List<ModuleLoader.Module> imports = loader.importsOf(ast, path);
    String defaultName = path == null ? "model" : stripExtension(path.getFileName().toString());
    OdeSystem sys = Elaborator.elaborate(ast, imports, defaultName, diags);
    return new Result(ast, sys, diags, null, loader.files());
  }

  /** A reason the text cannot be a model at all (binary data, nothing in it), or null. */
  static String notAModel(String text) {
    int bad = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || c == 0xFFFD || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) bad++;
    }
    if (bad > 0 && (text.indexOf('\0') >= 0 || bad * 20 > text.length())) {
      return "this is not a model file: it holds binary data (" + bad + " unreadable characters)";
    }
    boolean blank = text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    if (blank) return "the file is empty: a model needs at least one 'state NAME = VALUE' and its 'd(NAME)/dt = ...'";
    return null;
  }

  /**
   * UTF-8, with undecodable bytes replaced (the lexer then reports them as unexpected characters)
   * and a leading byte-order mark dropped (editors on Windows write one).
   */
  static String decode(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
