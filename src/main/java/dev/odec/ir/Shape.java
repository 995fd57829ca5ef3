package dev.odec.ir;

import java.util.Arrays;

/** The static shape of a value: scalar (rank 0), vector {@code [n]} or matrix {@code [m, n]}. */
public record Shape(int[] dims) {
  public static final Shape SCALAR = new Shape(new int[0]);

  public Shape {
    dims = dims.clone();
    for (int d : dims) {
      if (d < 1) throw new IllegalArgumentException("dimension must be >= 1: " + Arrays.toString(dims));
    }
  }

  public static Shape vector(int n) {
    return new Shape(new int[] {n});
  }

  public static Shape matrix(int m, int n) {
    return new Shape(new int[] {m, n});
  }

  /** A copy of the dimensions (the record's array is never shared). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  public boolean isScalar() {
    return dims.length == 0;
  }

  /** The number of elements (1 for a scalar). */
  public int size() {
    int s = 1;
    for (int d : dims) s *= d;
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** As written in the language: {@code real}, {@code real[3]}, {@code real[2, 3]}. */
  @Override
  public String toString() {
    if (dims.length == 0) return "real";
    StringBuilder sb = new StringBuilder("real[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(dims[i]);
    }
    return sb.append(']').toString();
  }
}
