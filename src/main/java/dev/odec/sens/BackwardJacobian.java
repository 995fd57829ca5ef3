package dev.odec.sens;

import com.google.common.primitives.Ints;
import dev.odec.ad.Jacobian;
import dev.odec.codegen.CompiledFunction;
import dev.odec.solve.OdeJacobian;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * ∂/∂[λ, μ] of the interpolating adjoint's right-hand side −[uᵀF_x, uᵀF_p] at u = λ: the
 * entries of the generated Jacobian of the vector–Jacobian product that lie in its u columns
 * (and its first nx + np rows), negated. The μ columns are empty. With x(t) from the forward
 * trajectory, implicit methods can integrate the adjoint of a stiff model backwards.
 */
final class BackwardJacobian implements OdeJacobian {
  private final int[] rowStart;
  private final int[] colIndex;
  private final int[] source;
  private final CompiledFunction values;
  private final double[] p;
  private final int nx;
  private final BiConsumer<Double, double[]> x;
  private final double[] in;
  private final double[] all;

  BackwardJacobian(Jacobian full, CompiledFunction values, double[] p, int nx, int np, BiConsumer<Double, double[]> x) {
    this.values = values;
    this.p = p;
    this.nx = nx;
    this.x = x;
    int rows = nx + np;
    List<Integer> cols = new ArrayList<>();
    List<Integer> src = new ArrayList<>();
    rowStart = new int[rows + 1];
    List<Jacobian.Entry> entries = full.entries();
    for (int r = 0; r < rows; r++) {
      rowStart[r] = cols.size();
      for (int e = 0; e < entries.size(); e++) {
        Jacobian.Entry en = entries.get(e);
        if (en.row() == r && en.col() >= nx) {
          cols.add(en.col() - nx);
          src.add(e);
        }
      }
    }
    rowStart[rows] = cols.size();
    colIndex = Ints.toArray(cols);
    source = Ints.toArray(src);
    in = new double[2 * nx];
    all = new double[entries.size()];
  }

  @Override
  public int[] rowStart() {
    return rowStart;
  }

  @Override
  public int[] colIndex() {
    return colIndex;
  }

  @Override
  public void eval(double t, double[] s, double[] out) {
    x.accept(t, in);
    System.arraycopy(s, 0, in, nx, nx);
    values.eval(t, in, p, all);
    for (int i = 0; i < source.length; i++) out[i] = -all[source[i]];
  }
}
