package dev.odec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * States far below the absolute tolerance: {@code run} warns after a solve that looked fine, and a
 * failure names them, with a tolerance of their own that the user can paste.
 */
class AtolWarningCliTest {
  /**
   * E5 at the default atol 1e-8 finishes without complaint yet returns species that should end
   * near 9e-23 orders of magnitude off; the warning names those that never exceed 1e-8.
   */
  @Test
  void runWarnsAboutStatesThatNeverRiseAboveAtol() {
    CliTest.Result r = CliTest.run("run", "examples/stiff/e5.ode", "--t1", "1e13", "--solver", "bdf");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("odec: warning: state") && r.err().contains("never rise")
        && r.err().contains("above the absolute tolerance 1e-08") && r.err().contains("e.g. --atol 1e-8,y"), r.err());
  }

  /** A species that rises above atol between two output times is no cause for a warning. */
  @Test
  void noWarningWhereEveryStateRisesAboveAtol() {
    CliTest.Result r = CliTest.run("run", "examples/stiff/robertson.ode", "--t1", "1e11", "--saveat", "1e11");
    assertEquals(0, r.code(), r.err());
    assertFalse(r.err().contains("warning"), r.err());
  }

  /** A failure's message names the states by name, in model time, with the advice. */
  @Test
  void aFailureNamesTheStates() {
    CliTest.Result r = CliTest.run("run", "examples/stiff/e5.ode", "--t1", "1e13", "--solver", "rodas5");
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("at t = 6.85") && r.err().contains("the error of state 'y2' limits the step")
        && r.err().contains("state 'y4' has not risen above the absolute tolerance") && r.err().contains("--atol 1e-8,NAME="),
        r.err());
  }
}
