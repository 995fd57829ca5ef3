// Run by the odec build (maven-invoker-plugin) after this example ran against the just-built
// artifact: checks what it printed against independent facts.
def log = new File(basedir, 'build.log').text
def num = { String pattern -> def m = (log =~ pattern); assert m.find() : "no match for ${pattern} in:\n${log}"; m }

assert log.contains('model lotka_volterra_fit: 2 states, params alpha, beta, delta, gamma, sigma')

// the solve moved away from the start (1, 1), and conserved Lotka-Volterra's first integral
def s = num(/t = 10: prey = (\S+), pred = (\S+)/)
assert Math.abs((s.group(1) as double) - 1) > 0.01
def v = num(/first integral: V\(0\) = (\S+), V\(10\) = (\S+)/)
assert Math.abs((v.group(1) as double) - (v.group(2) as double)) < 1e-7

// the adjoint gradient agrees with central differences of the objective
def g = num(/dL\/dalpha = (\S+) \(central difference (\S+)\)/)
double adj = g.group(1) as double
double fd = g.group(2) as double
assert Math.abs(adj - fd) < 1e-4 * Math.max(1.0, Math.abs(fd))

// the fit reaches scipy's optimum of the same likelihood (bench/fit/reference_optima.csv)
def ref = new File(odecRoot, 'bench/fit/reference_optima.csv').readLines().find { it.startsWith('lotka_volterra,') }
double scipy = ref.split(',')[1] as double
def f = num(/fit: objective = (\S+) \(ls, 3 starts\)/)
assert Math.abs((f.group(1) as double) - scipy) < 1e-6 * Math.abs(scipy)
assert log.contains('  alpha  = ')
return true
