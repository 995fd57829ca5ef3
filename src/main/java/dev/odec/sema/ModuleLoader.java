package dev.odec.sema;

import dev.odec.ast.Decl;
import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.source.InputFiles;
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
 *
 * <p>Import policy (a model from someone else must not be able to read the user's files): a
 * quoted import names a {@code .ode} file, and it is read only when it lies — after resolving
 * {@code ..} and symbolic links — inside one of the allowed folders: the folder of the model
 * given on the command line and its subfolders, the stdlib folder, and the folders given with
 * {@code --import-path}. A path outside them is refused before odec looks at it, so the message
 * says nothing about whether it exists; a file that is not a model is never quoted.
 */
public final class ModuleLoader {
  /** A loaded module and the import statement that first brought it in. */
  public record Module(String displayName, ModelFile file, Decl.Import via) {}

  private final Diagnostics diags;
  private final List<Path> roots;
  private final Map<String, ModelFile> cache = new HashMap<>();
  private final Set<String> loading = new HashSet<>();
  private final Set<Path> files = new java.util.LinkedHashSet<>();

  /**
   * A loader that reads quoted imports only inside {@code roots} (folders; the stdlib folder is
   * added).
   */
  public ModuleLoader(Diagnostics diags, List<Path> roots) {
    this.diags = diags;
    List<Path> all = new ArrayList<>();
    for (Path r : roots) all.add(real(r));
    String stdlib = System.getProperty("odec.stdlib");
    if (stdlib != null && Files.isDirectory(Path.of(stdlib))) all.add(real(Path.of(stdlib)));
    this.roots = List.copyOf(all);
  }

  /** The real path of a folder (as given when it cannot be resolved). */
  private static Path real(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  /** Every file read for the imports (real paths), so that outputs can refuse to overwrite them. */
  public List<Path> files() {
    return List.copyOf(files);
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
        SourceFile source = new SourceFile(r.display, r.text);
        String problem = Frontend.notAModel(r.text);
        if (problem != null) {
          diags.error(imp.span(), "imported file '" + imp.module() + "' is not a model: " + problem);
          continue;
        }
        mf = Parser.parse(source, diags);
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
    if (imp.isPath()) return resolveFile(imp, importer);
    String name = imp.module();
    String dir = System.getProperty("odec.stdlib");
    if (dir != null) {
      Path p = Path.of(dir, name + ".ode");
      if (Files.isRegularFile(p)) {
        String text = read(imp, p, "stdlib module '" + name + "'");
        return text == null ? null : new Resolved("stdlib:" + name, displayOf(p), text, p);
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

  /** A quoted import, under the policy in the class comment. */
  private Resolved resolveFile(Decl.Import imp, Path importer) {
    String module = imp.module();
    if (!module.endsWith(".ode")) {
      diags.error(imp.span(), "cannot import '" + module + "': imported files are .ode models (name the file with "
          + "its .ode extension)");
      return null;
    }
    Path base = importer == null ? real(Path.of(".")) : real(importer.toAbsolutePath().getParent());
    Path p = base.resolve(module).normalize();
    if (!allowed(p)) {
      diags.error(imp.span(), "cannot import '" + module + "': odec reads imported files only from " + rootsText()
          + ", and their subfolders (widen this with --import-path DIR)");
      return null;
    }
    if (!Files.isRegularFile(p)) {
      diags.error(imp.span(), Files.exists(p)
          ? "cannot import '" + module + "': it is not a regular file (a folder, a pipe or a device)"
          : "cannot find imported file '" + module + "' (looked for " + displayOf(p) + ")");
      return null;
    }
    Path realPath = real(p);
    if (!allowed(realPath)) {
      diags.error(imp.span(), "cannot import '" + module + "': it is a link to a file outside " + rootsText()
          + " (widen this with --import-path DIR)");
      return null;
    }
    String text = read(imp, realPath, "imported file '" + module + "'");
    if (text == null) return null;
    files.add(realPath);
    return new Resolved(realPath.toString(), displayOf(p), text, realPath);
  }

  private boolean allowed(Path p) {
    for (Path r : roots) if (p.startsWith(r)) return true;
    return false;
  }

  private String rootsText() {
    List<String> names = new ArrayList<>();
    for (Path r : roots) names.add(r.toString());
    return (names.size() == 1 ? "the model's folder " : "the folders ") + String.join(", ", names);
  }

  /** The text of an import (at most {@link InputFiles#MAX_MODEL_BYTES}), or null after reporting why not. */
  private String read(Decl.Import imp, Path p, String what) {
    try {
      return Frontend.decode(InputFiles.read(p, InputFiles.MAX_MODEL_BYTES, "model"));
    } catch (IOException | java.io.UncheckedIOException e) {
      diags.error(imp.span(), "cannot read " + what + ": " + e.getMessage());
      return null;
    }
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
