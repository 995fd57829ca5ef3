package dev.odec.bench;

import dev.odec.ir.OdeSystem;
import org.hipparchus.ode.OrdinaryDifferentialEquation;

/**
 * The benchmark problems' right-hand sides written by hand in plain Java, with the parameter
 * values read from the compiled model's parameter vector (so every tool solves the same problem).
 * {@link #eval} works in place; {@link #hipparchus} wraps it in Hipparchus's interface, which
 * returns a fresh array per call.
 */
abstract class HandRhs {
  final int n;

  HandRhs(int n) {
    this.n = n;
  }

  abstract void eval(double t, double[] y, double[] dydt);

  OrdinaryDifferentialEquation hipparchus() {
    return new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return n;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[] d = new double[n];
        eval(t, y, d);
        return d;
      }
    };
  }

  static HandRhs of(OdeSystem sys, double[] p) {
    String name = sys.name();
    if (name.equals("lotka_volterra")) {
      return new LotkaVolterra(param(sys, p, "alpha"), param(sys, p, "beta"), param(sys, p, "delta"),
          param(sys, p, "gamma"));
    }
    if (name.startsWith("chain_")) {
      int n = sys.stateSize();
      double[] k = new double[n - 1];
      for (int i = 1; i < n; i++) {
        k[i - 1] = param(sys, p, "k" + i);
        if (k[i - 1] != 1 + (i % 7) / 7.0) throw new IllegalStateException("unexpected k" + i);
      }
      return new Chain(k);
    }
    throw new IllegalArgumentException("no hand-written right-hand side for model " + name);
  }

  static double param(OdeSystem sys, double[] p, String name) {
    for (OdeSystem.Var v : sys.pVars()) {
      if (v.name().equals(name)) return p[v.offset()];
    }
    throw new IllegalArgumentException("model " + sys.name() + " has no param " + name);
  }

  /** d(prey)/dt = alpha prey - beta prey pred, d(pred)/dt = delta prey pred - gamma pred. */
  static final class LotkaVolterra extends HandRhs {
    final double alpha, beta, delta, gamma;

    LotkaVolterra(double alpha, double beta, double delta, double gamma) {
      super(2);
      this.alpha = alpha;
      this.beta = beta;
      this.delta = delta;
      this.gamma = gamma;
    }

    @Override
    void eval(double t, double[] y, double[] d) {
      double prey = y[0], pred = y[1];
      d[0] = alpha * prey - beta * prey * pred;
      d[1] = delta * prey * pred - gamma * pred;
    }
  }

  /** A_i -> A_{i+1} with flux k_i A_i. */
  static final class Chain extends HandRhs {
    final double[] k;

    Chain(double[] k) {
      super(k.length + 1);
      this.k = k;
    }

    @Override
    void eval(double t, double[] y, double[] d) {
      double in = 0.0;
      for (int i = 0; i < n - 1; i++) {
        double flux = k[i] * y[i];
        d[i] = in - flux;
        in = flux;
      }
      d[n - 1] = in;
    }
  }
}
