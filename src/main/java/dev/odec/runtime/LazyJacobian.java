package dev.odec.runtime;

import dev.odec.solve.OdeJacobian;
import java.util.function.Supplier;

/**
 * A Jacobian generated and compiled only when a solver first asks for it: the {@code auto}
 * solver needs one only if the problem turns stiff, and generating it for a large network costs
 * more than a short non-stiff solve.
 */
public final class LazyJacobian implements OdeJacobian {
  private final Supplier<OdeJacobian> make;
  private final int sensitivityBlock;
  private OdeJacobian jac;

  public LazyJacobian(Supplier<OdeJacobian> make) {
    this(make, 0);
  }

  /** A Jacobian with the structure of a sensitivity system of block size m (see {@link OdeJacobian#sensitivityBlock}). */
  public LazyJacobian(Supplier<OdeJacobian> make, int sensitivityBlock) {
    this.make = make;
    this.sensitivityBlock = sensitivityBlock;
  }

  @Override
  public int sensitivityBlock() {
    return sensitivityBlock;
  }

  private OdeJacobian get() {
    if (jac == null) jac = make.get();
    return jac;
  }

  @Override
  public int[] rowStart() {
    return get().rowStart();
  }

  @Override
  public int[] colIndex() {
    return get().colIndex();
  }

  @Override
  public void eval(double t, double[] y, double[] values) {
    get().eval(t, y, values);
  }
}
