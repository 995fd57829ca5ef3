package dev.odec.cli;

import dev.odec.codegen.c.CProgram;
import dev.odec.ir.OdeSystem;
import dev.odec.runtime.InputError;
import dev.odec.runtime.NativeCache;
import dev.odec.runtime.NativeEnsemble;
import dev.odec.runtime.NativeToolchain;
import dev.odec.solve.Method;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** The options of the generated-code backends ({@code --backend c|cuda}). */
public final class NativeOptionsMixin {
  @CommandLine.Option(names = "--cc", paramLabel = "PATH",
      description = "With --backend c: the C compiler (default: cc, gcc or clang on the PATH).")
  String cc;

  @CommandLine.Option(names = "--nvcc", paramLabel = "PATH",
      description = "With --backend cuda: nvcc (default: on the PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin).")
  String nvcc;

  @CommandLine.Option(names = "--cuda-arch", paramLabel = "sm_XX",
      description = "With --backend cuda: the GPU architecture to compile for (default: the first GPU's, from nvidia-smi).")
  String cudaArch;

  @CommandLine.Option(names = "--cache-dir", paramLabel = "DIR",
      description = "With --backend c|cuda: where compiled programs are kept (default: $XDG_CACHE_HOME/odec/native or "
          + "~/.cache/odec/native).")
  Path cacheDir;

  /** Whether {@code backend} names a generated-code backend. */
  static boolean isNative(String backend) {
    return backend.equals("c") || backend.equals("cuda");
  }

  /** The runner of {@code --backend c|cuda}; a usage error when the model, the solver or the machine cannot do it. */
  NativeEnsemble runner(String backend, OdeSystem sys, Method method, PrintWriter err) {
    String why = CProgram.unsupported(sys, method);
    if (why != null) throw InputError.usage(why);
    CProgram.Target target = backend.equals("c") ? CProgram.Target.C : CProgram.Target.CUDA;
    NativeToolchain tc = NativeToolchain.find(target, target == CProgram.Target.C ? cc : nvcc, cudaArch);
    return new NativeEnsemble(sys, method, tc, NativeCache.at(cacheDir), err);
  }
}
