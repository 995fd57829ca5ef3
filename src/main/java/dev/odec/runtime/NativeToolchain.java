package dev.odec.runtime;

import dev.odec.codegen.c.CProgram;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The compiler that turns a generated program into a binary: {@code cc} for the C target,
 * {@code nvcc} for CUDA, with the flags odec uses. Found on the PATH unless given
 * ({@code --cc}, {@code --nvcc}); nvcc also in {@code $CUDA_HOME/bin} and
 * {@code /usr/local/cuda/bin}. The CUDA architecture is given ({@code --cuda-arch sm_90}) or read
 * from {@code nvidia-smi}. Whatever is missing is a usage error (exit 2) that says what to install
 * or give.
 *
 * @param target C or CUDA
 * @param compiler the compiler's path
 * @param flags the flags before the output and source arguments
 */
public record NativeToolchain(CProgram.Target target, Path compiler, List<String> flags) {
  /** C: IEEE arithmetic without contraction into fused multiply-adds, so that +, −, ×, ÷ match the JVM. */
  static final List<String> C_FLAGS = List.of("-O2", "-std=c99", "-ffp-contract=off");

  /** The toolchain for {@code target}; {@code compilerOverride} and {@code archOverride} may be null. */
  public static NativeToolchain find(CProgram.Target target, String compilerOverride, String archOverride) {
    if (target == CProgram.Target.C) {
      Path cc = compilerOverride != null ? given(compilerOverride, "--cc") : onPath("cc");
      if (cc == null) cc = onPath("gcc");
      if (cc == null) cc = onPath("clang");
      if (cc == null) {
        throw InputError.usage("--backend c needs a C compiler, and none of cc, gcc or clang is on the PATH; install one "
            + "or give its path with --cc");
      }
      return new NativeToolchain(target, cc, C_FLAGS);
    }
    Path nvcc = compilerOverride != null ? given(compilerOverride, "--nvcc") : findNvcc();
    String arch = archOverride != null ? checkArch(archOverride) : detectArch();
    return new NativeToolchain(target, nvcc, List.of("-O3", "-arch=" + arch));
  }

  private static Path given(String path, String option) {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
      throw InputError.usage(option + " " + path + ": no such executable file");
    }
    return p;
  }

  private static Path findNvcc() {
    Path p = onPath("nvcc");
    if (p != null) return p;
    String home = System.getenv("CUDA_HOME");
    for (String dir : home != null ? List.of(home, "/usr/local/cuda") : List.of("/usr/local/cuda")) {
      Path c = Path.of(dir, "bin", "nvcc");
      if (Files.isExecutable(c)) return c;
    }
    throw InputError.usage("--backend cuda needs nvcc (the CUDA toolkit's compiler): it is not on the PATH, "
        + (home == null ? "CUDA_HOME is not set, " : "not in CUDA_HOME/bin (" + home + "/bin), ")
        + "and not in /usr/local/cuda/bin; install the CUDA toolkit or give its path with --nvcc");
  }

  private static String checkArch(String arch) {
    if (!arch.matches("sm_\\d{2,3}a?")) {
      throw InputError.usage("--cuda-arch expects a GPU architecture like sm_90, got '" + arch + "'");
    }
    return arch;
  }

  /** sm_XY from the first GPU's compute capability X.Y, as nvidia-smi reports it. */
  private static String detectArch() {
    Path smi = onPath("nvidia-smi");
    if (smi == null) {
      throw InputError.usage("--backend cuda needs an NVIDIA GPU, and none was found (nvidia-smi, which comes with its "
          + "driver, is not on the PATH); give --cuda-arch sm_XX to compile for one anyway, or use --backend c");
    }
    String outText;
    try {
      Process pr = new ProcessBuilder(smi.toString(), "--query-gpu=compute_cap", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      outText = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!pr.waitFor(30, TimeUnit.SECONDS) || pr.exitValue() != 0) outText = "";
    } catch (IOException e) {
      outText = "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outText = "";
    }
    String first = outText.lines().findFirst().orElse("").strip();
    if (!first.matches("\\d+\\.\\d+")) {
      throw InputError.usage("--backend cuda needs an NVIDIA GPU, and nvidia-smi found none"
          + (first.isEmpty() ? "" : " (it said: " + first + ")") + "; give --cuda-arch sm_XX to compile anyway, or use "
          + "--backend c");
    }
    return "sm_" + first.replace(".", "");
  }

  /** The first executable called {@code name} in the PATH's folders, or null. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path c = Path.of(dir, name);
      if (Files.isRegularFile(c) && Files.isExecutable(c)) return c;
    }
    return null;
  }

  /** The command that compiles {@code source} into {@code binary}. */
  public List<String> command(Path source, Path binary) {
    List<String> cmd = new ArrayList<>();
    cmd.add(compiler.toString());
    cmd.addAll(flags);
    cmd.add("-o");
    cmd.add(binary.toString());
    cmd.add(source.toString());
    if (target == CProgram.Target.C) cmd.add("-lm");
    return cmd;
  }

  /** What identifies the build besides the source: the compiler and its flags. */
  String signature() {
    return compiler + " " + String.join(" ", flags);
  }

  /** The source file's extension. */
  String extension() {
    return target == CProgram.Target.CUDA ? ".cu" : ".c";
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s", compiler, String.join(" ", flags));
  }
}
