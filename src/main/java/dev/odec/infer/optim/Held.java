package dev.odec.infer.optim;

/** Objectives with one coordinate held at a value (the inner problems of a profile). */
final class Held {
  private Held() {}

  static double[] drop(double[] x, int j) {
    double[] out = new double[x.length - 1];
    for (int i = 0, k = 0; i < x.length; i++) if (i != j) out[k++] = x[i];
    return out;
  }

  static double[] insert(double[] x, int j, double v) {
    double[] out = new double[x.length + 1];
    for (int i = 0, k = 0; i < out.length; i++) out[i] = i == j ? v : x[k++];
    return out;
  }

  static Objective of(Objective f, int j, double value) {
    return new Objective() {
      @Override
      public int dimension() {
        return f.dimension() - 1;
      }

      @Override
      public double evaluate(double[] theta, double[] gradient) {
        double[] g = gradient == null ? null : new double[f.dimension()];
        double v = f.evaluate(insert(theta, j, value), g);
        if (gradient != null) System.arraycopy(drop(g, j), 0, gradient, 0, gradient.length);
        return v;
      }
    };
  }

  static LeastSquares of(LeastSquares f, int j, double value) {
    return new LeastSquares() {
      @Override
      public int dimension() {
        return f.dimension() - 1;
      }

      @Override
      public int residuals() {
        return f.residuals();
      }

      @Override
      public double evaluate(double[] theta, double[] r, double[][] jacobian) {
        double[][] full = jacobian == null ? null : new double[f.residuals()][f.dimension()];
        double c = f.evaluate(insert(theta, j, value), r, full);
        if (jacobian != null) for (int i = 0; i < full.length; i++) jacobian[i] = drop(full[i], j);
        return c;
      }
    };
  }
}
