package dev.odec.sema;

import dev.odec.ast.Decl;
import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.source.SourceFile;
import dev.odec.syntax.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and parses imported modules: stdlib modules by name (in the directory named by the
 * system property {@code odec.stdlib}, else bundled in the jar under {@code /stdlib}), and files
 * by path relative to the importing file. Each module is parsed once; cycles are reported.
 */
public final class ModuleLoader {
  /** A loaded module and the import statement that first brought it in. */
  public record Module(String displayName, ModelFile file, Decl.Import via) {}

  private final Diagnostics diags;
  private final Map<String, ModelFile> cache = new HashMap<>();
  private final Set<String> loading = new HashSet<>();

  public ModuleLoader(Diagnostics diags) {
    this.diags = diags;
  }

  /** The modules imported (directly or not) by {@code root}, each once, dependencies first. */
  public List<Module> importsOf(ModelFile root, Path rootPath) {
    List<Module> out = new ArrayList<>();
    collect(root, rootPath, out, new HashSet<>());
    return out;
  }

  private void collect(ModelFile file, Path path, List<Module> out, Set<String> done) {
    for (Decl d : file.decls()) {
      if (!(d instanceof Decl.Import imp)) continue;
      Resolved r = resolve(imp, path);
      if (r == null) continue;
      if (loading.contains(r.key)) {
        diags.error(imp.span(), "import cycle: '" + imp.module() + "' imports this file again");
        continue;
      }
      if (done.contains(r.key)) continue;
      ModelFile mf = cache.get(r.key);
      if (mf == null) {
        mf = Parser.parse(new SourceFile(r.display, r.text), diags);
        cache.put(r.key, mf);
      }
      loading.add(r.key);
      collect(mf, r.path, out, done);
      loading.remove(r.key);
      done.add(r.key);
      out.add(new Module(imp.isPath() ? imp.module() : imp.module(), mf, imp));
    }
  }

  private record Resolved(String key, String display, String text, Path path) {}

  private Resolved resolve(Decl.Import imp, Path importer) {
    if (imp.isPath()) {
      Path base = importer == null ? Path.of(".") : importer.toAbsolutePath().getParent();
      Path p = base.resolve(imp.module()).normalize();
      if (!Files.isRegularFile(p)) {
        diags.error(imp.span(), "cannot find imported file '" + imp.module() + "' (looked for " + p + ")");
        return null;
      }
      try {
        return new Resolved(p.toString(), displayOf(p), Files.readString(p, StandardCharsets.UTF_8), p);
      } catch (IOException | java.io.UncheckedIOException e) {
        diags.error(imp.span(), "cannot read imported file '" + imp.module() + "': " + e.getMessage());
        return null;
      }
    }
    String name = imp.module();
    String dir = System.getProperty("odec.stdlib");
    if (dir != null) {
      Path p = Path.of(dir, name + ".ode");
      if (Files.isRegularFile(p)) {
        try {
          return new Resolved("stdlib:" + name, displayOf(p), Files.readString(p, StandardCharsets.UTF_8), p);
        } catch (IOException e) {
          diags.error(imp.span(), "cannot read stdlib module '" + name + "': " + e.getMessage());
          return null;
        }
      }
    }
    try (InputStream in = ModuleLoader.class.getResourceAsStream("/stdlib/" + name + ".ode")) {
      if (in != null) {
        return new Resolved("stdlib:" + name, "stdlib/" + name + ".ode",
            new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
      }
    } catch (IOException e) {
      // reported below as not found
    }
    diags.error(imp.span(), "cannot find module '" + name + "'" + Suggest.hint(name, stdlibModules())
        + "; stdlib modules are " + String.join(", ", stdlibModules())
        + ", and a file is imported with quotes: import \"path.ode\"");
    return null;
  }

  private static String displayOf(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /** The names of the bundled stdlib modules. */
  public static List<String> stdlibModules() {
    return List.of("kinetics", "nn", "pk");
  }
}
