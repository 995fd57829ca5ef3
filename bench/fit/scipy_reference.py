"""Independent optima of the fit examples (examples/fit/) with scipy: the models written again
in Python, solved with solve_ivp (DOP853, rtol 1e-11), the negative log-likelihood with every
normalising constant (scipy.stats), minimised by least_squares (trf, 2-point finite-difference
Jacobian) from the parameters the data were made with, then polished by minimize (L-BFGS-B)
on the full objective. Writes reference_optima.csv, which FitReferenceTest reads.
Run from the repository root: python3 bench/fit/scipy_reference.py"""
import numpy as np
from scipy import stats
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares, minimize

TIGHT = dict(rtol=1e-11, atol=1e-12, method="DOP853")
C = 50.0  # the offset of the noise residuals sqrt(2 log sigma + C)


def read(path):
    rows = [l.strip().split(",") for l in open(path) if l.strip() and not l.startswith("#")]
    header, rows = rows[0], rows[1:]
    return header, rows


def enzyme_problem():
    header, rows = read("examples/fit/enzyme_data.csv")
    conds = {"low": (10, 500), "high_enzyme": (40, 500), "low_substrate": (10, 150)}
    data = {e: [] for e in conds}
    for r in rows:
        data[r[0]].append((float(r[1]), float(r[2]) if r[2] else None, float(r[3]) if r[3] else None))

    def residuals(th):
        kon, koff, kcat, sigma = 10.0 ** th
        res, logs = [], []
        for e, (e0, s0) in conds.items():
            ts = np.array([d[0] for d in data[e]])
            f = lambda t, x: [-(kon * x[0] * x[1] - koff * x[2]) + kcat * x[2], -(kon * x[0] * x[1] - koff * x[2]),
                              kon * x[0] * x[1] - koff * x[2] - kcat * x[2], kcat * x[2]]
            sol = solve_ivp(f, (0, ts[-1]), [e0, s0, 0, 0], t_eval=ts, **TIGHT)
            for i, (t, p, s) in enumerate(data[e]):
                for y, m in ((p, sol.y[3, i]), (s, sol.y[1, i])):
                    if y is None:
                        continue
                    res.append((np.log(y) - np.log(m)) / sigma)
                    logs.append(np.sqrt(2 * np.log(sigma) + C))
        return np.array(res + logs)

    def nll(th):
        kon, koff, kcat, sigma = 10.0 ** th
        total = 0.0
        for e, (e0, s0) in conds.items():
            ts = np.array([d[0] for d in data[e]])
            f = lambda t, x: [-(kon * x[0] * x[1] - koff * x[2]) + kcat * x[2], -(kon * x[0] * x[1] - koff * x[2]),
                              kon * x[0] * x[1] - koff * x[2] - kcat * x[2], kcat * x[2]]
            sol = solve_ivp(f, (0, ts[-1]), [e0, s0, 0, 0], t_eval=ts, **TIGHT)
            for i, (t, p, s) in enumerate(data[e]):
                for y, m in ((p, sol.y[3, i]), (s, sol.y[1, i])):
                    if y is not None:
                        total -= stats.lognorm.logpdf(y, s=sigma, scale=m)
        return total

    true = np.log10([2e-3, 0.05, 0.08, 0.1])
    lo = np.log10([1e-6, 1e-4, 1e-4, 1e-3])
    hi = np.log10([1, 10, 10, 1])
    return "enzyme", ["kon", "koff", "kcat", "sigma"], residuals, nll, true, lo, hi, lambda th: 10.0 ** th


def lv_problem():
    header, rows = read("examples/fit/lv_data.csv")
    ts = np.array([float(r[0]) for r in rows])
    y = np.array([[float(r[1]), float(r[2])] for r in rows])

    def solve(th):
        a, b, d, g, s = np.exp(th)
        f = lambda t, x: [a * x[0] - b * x[0] * x[1], d * x[0] * x[1] - g * x[1]]
        return solve_ivp(f, (0, ts[-1]), [1.0, 1.0], t_eval=ts, **TIGHT).y.T, s

    def residuals(th):
        m, s = solve(th)
        z = ((y - m) / s).ravel()
        return np.concatenate([z, np.full(z.size, np.sqrt(2 * np.log(s) + C))])

    def nll(th):
        m, s = solve(th)
        return -stats.norm.logpdf(y, loc=m, scale=s).sum()

    true = np.log([1.5, 1.0, 3.0, 1.0, 0.2])
    lo = np.log([0.1, 0.1, 0.1, 0.1, 1e-3])
    hi = np.log([10, 10, 10, 10, 5])
    return "lotka_volterra", ["alpha", "beta", "delta", "gamma", "sigma"], residuals, nll, true, lo, hi, np.exp


def optimum(problem):
    name, names, residuals, nll, true, lo, hi, natural = problem
    r = least_squares(residuals, true, bounds=(lo, hi), method="trf", ftol=1e-15, xtol=1e-15, gtol=1e-15,
                      diff_step=1e-7)
    p = minimize(nll, r.x, method="L-BFGS-B", bounds=list(zip(lo, hi)), options=dict(ftol=1e-15, gtol=1e-10))
    x = p.x if p.fun < nll(r.x) else r.x
    return name, names, nll(x), natural(x)


if __name__ == "__main__":
    with open("bench/fit/reference_optima.csv", "w") as fh:
        fh.write("# made by bench/fit/scipy_reference.py (scipy least_squares + L-BFGS-B polish, solve_ivp DOP853 rtol 1e-11)\n")
        fh.write("example,objective,parameters\n")
        for prob in (enzyme_problem(), lv_problem()):
            name, names, obj, x = optimum(prob)
            params = " ".join(f"{n}={v:.17g}" for n, v in zip(names, x))
            fh.write(f"{name},{obj:.17g},{params}\n")
            print(name, obj, params)
