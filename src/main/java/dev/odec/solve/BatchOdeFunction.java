package dev.odec.solve;

/**
 * The right-hand sides of many members of one ODE system evaluated together: row r is member
 * {@code members[r]} at time {@code t[r]} with state {@code y[r·n .. r·n+n)}, and its derivative
 * goes to {@code dydt[r·n ..)}. The function knows each member's parameters; the solver tells it
 * which members the rows are. Must not keep references to the arrays.
 */
public interface BatchOdeFunction {
  /** The number of state components n of one member. */
  int dimension();

  /** Evaluates rows 0 .. rows−1 (the arrays may be longer). */
  void eval(int rows, int[] members, double[] t, double[] y, double[] dydt);
}
