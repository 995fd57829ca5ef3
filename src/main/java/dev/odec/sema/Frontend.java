package dev.odec.sema;

import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.ir.OdeSystem;
import dev.odec.source.SourceFile;
import dev.odec.syntax.Parser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The whole front end: a model file's path in, a lowered {@link OdeSystem} or diagnostics out. */
public final class Frontend {
  /** What the front end made: the AST (null if unreadable), the system (null on errors), the diagnostics. */
  public record Result(ModelFile ast, OdeSystem system, Diagnostics diagnostics, String ioError) {
    public boolean ok() {
      return system != null && !diagnostics.hasErrors();
    }
  }

  private Frontend() {}

  public static Result compile(Path path) {
    Diagnostics diags = new Diagnostics();
    String text;
    if (!Files.exists(path)) return new Result(null, null, diags, "no such file: " + path);
    if (Files.isDirectory(path)) return new Result(null, null, diags, path + " is a directory, not a model file");
    try {
      text = decode(Files.readAllBytes(path));
    } catch (IOException e) {
      return new Result(null, null, diags, "cannot read " + path + ": " + e.getMessage());
    }
    return compile(new SourceFile(path.toString(), text), path, diags);
  }

  public static Result compile(SourceFile file, Path path, Diagnostics diags) {
    String problem = notAModel(file.text());
    if (problem != null) {
      diags.error(new dev.odec.source.Span(file, 1, 1, 1), problem);
      return new Result(null, null, diags, null);
    }
    ModelFile ast = Parser.parse(file, diags);
    if (diags.hasErrors()) return new Result(ast, null, diags, null);
    List<ModuleLoader.Module> imports = new ModuleLoader(diags).importsOf(ast, path);
    String defaultName = path == null ? "model" : stripExtension(path.getFileName().toString());
    OdeSystem sys = Elaborator.elaborate(ast, imports, defaultName, diags);
    return new Result(ast, sys, diags, null);
  }

  /** A reason the text cannot be a model at all (binary data, nothing in it), or null. */
  private static String notAModel(String text) {
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

  /** UTF-8, with undecodable bytes replaced (the lexer then reports them as unexpected characters). */
  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
