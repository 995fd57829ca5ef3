/**
 * odec as a library: compile a model written in the {@code .ode} language once, then solve it,
 * find its steady state, compute the likelihood of data and its gradient, and fit its params, as
 * often as needed and from any number of threads. This package is odec's public API; everything
 * else in the artifact is internal and may change.
 *
 * <pre>{@code
 * Compilation c = Odec.compile(Path.of("model.ode"));
 * if (!c.ok()) {
 *   c.diagnostics().forEach(d -> System.err.println(d.render()));
 *   return;
 * }
 * Model model = c.model();
 * ParameterValues p = model.parameters().with("alpha", 1.2);        // checked: names, bounds, scales
 * Trajectory tr = model.solve(p, 0, new double[] {1, 2, 5, 10},
 *     SolverSettings.defaults().solver("dop853").rtol(1e-10));
 * Data data = model.loadData(Path.of("data.csv"));
 * Gradient g = model.gradient(data, p, GradientSettings.defaults().method("adjoint"));
 * FitResult fit = model.fit(data, p, FitSettings.defaults().starts(20), System.err::println);
 * }</pre>
 *
 * <p><b>Values, not printing.</b> Compiling gives {@link dev.odec.api.Diagnostic}s as values;
 * results ({@link dev.odec.api.Trajectory}, {@link dev.odec.api.Gradient},
 * {@link dev.odec.api.FitResult}, ...) and settings are immutable. Nothing in this package writes
 * to the console.
 *
 * <p><b>Errors.</b> Everything the API accepts is checked with the words {@code odec} prints for
 * the same mistake (settings are named as the command line spells them, {@code --rtol}): bad
 * input throws {@link dev.odec.api.InvalidInputException}, an unknown name its subclass
 * {@link dev.odec.api.UnknownNameException} (with the closest name), asking for the model of a
 * compilation with errors {@link dev.odec.api.CompilationException}, and a numerical failure
 * {@link dev.odec.api.SolverException} (with the model time and what to try). All are unchecked
 * {@link dev.odec.api.OdecException}s; anything else is a bug in odec.
 *
 * <p><b>Threads.</b> A {@link dev.odec.api.Model} is immutable and thread-safe; its code is
 * generated once, and each call runs it on its own scratch space, so concurrent calls give the same
 * results, bit for bit, as sequential ones. A {@link dev.odec.api.Simulator} is the exception: it
 * keeps its instances between solves for speed and belongs to one thread.
 *
 * <p><b>Stack depth.</b> Compiling and differentiating recurse over expressions; these passes run
 * on a thread of their own with a deep stack, so a deeply nested generated model compiles from any
 * caller.
 */
package dev.odec.api;
