"""The Python side of bench/fit.sh: multi-start least-squares fits with scipy from the very start
points odec used (read from the JSON of `odec fit --out`), in two variants:

  fd    solve_ivp + least_squares(method='trf') with its 2-point finite-difference Jacobian
        (the usual Python approach: one extra solve per parameter per Jacobian);
  sens  the same, with the Jacobian from forward sensitivities: the model's right-hand side,
        its Jacobians df/dx and df/dp written once symbolically (sympy) and evaluated by numpy,
        integrated together with the states, dS/dt = df/dx S + df/dp, S(0) = dx0/dp.

Both solve with LSODA (switches between Adams and BDF, as odec's `auto`) at the tolerances odec
used, and use the same stop tolerances (ftol = xtol = gtol = 1e-8, at most MAXFEV evaluations of
the residuals) in the same parameter scale (log10) and bounds. The objective is the same negative
log-likelihood with every constant, so the optima compare with odec's directly.

Usage: python3 fit_bench.py MODEL ODEC.json OUT.tsv VARIANT [--starts N] [--cap SECONDS] [--rtol X --atol X]
  MODEL: enzyme | fujita; writes one row per start: start, objective, wall and CPU seconds, evaluations of
  the residuals (finite-difference and Jacobian evaluations included), status. --cap: a start still
  running after this many seconds is stopped and counted with the best objective it had reached.
"""
import json
import math
import signal
import sys
import time

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

C = 50.0  # odec's offset of the noise residuals sqrt(2 log sigma + C)
MAXFEV = 1000


def read_csv(path):
    rows = [l.rstrip("\n").split(",") for l in open(path) if l.strip() and not l.startswith("#")]
    return rows[0], rows[1:]


class Model:
    """A model in sympy: states x, params p (estimated, natural scale), consts c per experiment."""

    def __init__(self, x, p, c, rhs, x0, obs):
        self.nx, self.np = len(x), len(p)
        args = (x, p, c)
        self.f = sp.lambdify(args, rhs, "numpy")
        fx = sp.Matrix(rhs).jacobian(sp.Matrix(x))
        fp = sp.Matrix(rhs).jacobian(sp.Matrix(p))
        self.fx = sp.lambdify(args, fx, "numpy")
        self.fp = sp.lambdify(args, fp, "numpy")
        self.x0 = sp.lambdify((p, c), x0, "numpy")
        self.x0p = sp.lambdify((p, c), sp.Matrix(x0).jacobian(sp.Matrix(p)), "numpy")
        # observables: a function of (x, p) and its derivatives with respect to x and p
        self.h = sp.lambdify((x, p), obs, "numpy")
        self.hx = sp.lambdify((x, p), sp.Matrix(obs).jacobian(sp.Matrix(x)), "numpy")
        self.hp = sp.lambdify((x, p), sp.Matrix(obs).jacobian(sp.Matrix(p)), "numpy")

    def solve(self, p, c, times, tol, sens):
        nx, n = self.nx, self.np
        if not sens:
            rhs = lambda t, y: self.f(y, p, c)
            y0 = np.array(self.x0(p, c), dtype=float)
        else:
            def rhs(t, y):
                x = y[:nx]
                s = y[nx:].reshape(nx, n)
                dx = np.array(self.f(x, p, c), dtype=float)
                ds = np.asarray(self.fx(x, p, c), dtype=float) @ s + np.asarray(self.fp(x, p, c), dtype=float)
                return np.concatenate([dx, ds.ravel()])
            y0 = np.concatenate([np.array(self.x0(p, c), dtype=float),
                                 np.asarray(self.x0p(p, c), dtype=float).ravel()])
        sol = solve_ivp(rhs, (0.0, times[-1]), y0, method="LSODA", t_eval=times, rtol=tol[0], atol=tol[1])
        if not sol.success or sol.y.shape[1] != len(times):
            raise FloatingPointError(sol.message)
        return sol.y.T


def enzyme():
    E, S, ES, P = x = sp.symbols("E S ES P")
    kon, koff, kcat, sigma = p = sp.symbols("kon koff kcat sigma")
    E0, S0 = c = sp.symbols("E0 S0")
    bind = kon * E * S - koff * ES
    rhs = [-bind + kcat * ES, -bind, bind - kcat * ES, kcat * ES]
    # observables: log-scale means of product and substrate, then the noise sigma
    m = Model(list(x), list(p), list(c), rhs, [E0, S0, 0, 0], [sp.log(P), sp.log(S), sigma])
    header, rows = read_csv("examples/fit/enzyme_data.csv")
    conds = {r[0]: [float(r[1]), float(r[2])] for r in read_csv("examples/fit/enzyme_conditions.csv")[1]}
    exps = {}
    for r in rows:
        exps.setdefault(r[0], []).append((float(r[1]), [float(v) if v else math.nan for v in r[2:4]]))
    data = []
    for e, pts in exps.items():
        times = np.array([t for t, _ in pts])
        y = np.array([v for _, v in pts])
        data.append((np.array(conds[e]), times, y, np.log(y)))
    names = ["kon", "koff", "kcat", "sigma"]
    bounds = [(1e-6, 1), (1e-4, 10), (1e-4, 10), (1e-3, 1)]  # as in enzyme.ode
    return m, names, data, "lognormal", bounds


def fujita():
    names = ["EGFR_turnover", "init_AKT", "init_EGFR", "init_S6", "reaction_1_k1", "reaction_1_k2", "reaction_2_k1",
             "reaction_2_k2", "reaction_3_k1", "reaction_4_k1", "reaction_5_k1", "reaction_5_k2", "reaction_6_k1",
             "reaction_7_k1", "reaction_8_k1", "reaction_9_k1", "scaling_pAkt_tot", "scaling_pEGFR_tot",
             "scaling_pS6_tot"]
    p = sp.symbols(names)
    q = dict(zip(names, p))
    EGFR, pEGFR, pEGFR_Akt, Akt, pAkt, S6, pAkt_S6, pS6, EGF_EGFR = x = sp.symbols(
        "EGFR pEGFR pEGFR_Akt Akt pAkt S6 pAkt_S6 pS6 EGF_EGFR")
    EGF = sp.Symbol("EGF_0")
    # every measurement time is at or before EGF_end = 3600 and EGF_rate = 0: EGF is the constant EGF_0
    v1 = EGF * EGFR * q["reaction_1_k1"] - EGF_EGFR * q["reaction_1_k2"]
    v2 = Akt * pEGFR * q["reaction_2_k1"] - pEGFR_Akt * q["reaction_2_k2"]
    v3 = pEGFR_Akt * q["reaction_3_k1"]
    v4 = pEGFR * q["reaction_4_k1"]
    v5 = S6 * pAkt * q["reaction_5_k1"] - pAkt_S6 * q["reaction_5_k2"]
    v6 = pAkt_S6 * q["reaction_6_k1"]
    v7 = pAkt * q["reaction_7_k1"]
    v8 = pS6 * q["reaction_8_k1"]
    v9 = EGF_EGFR * q["reaction_9_k1"]
    v10 = EGFR * q["EGFR_turnover"]
    v11 = 68190 * q["EGFR_turnover"]
    rhs = [-v1 - v10 + v11, -v2 + v3 - v4 + v9, v2 - v3, -v2 + v7, v3 - v5 + v6 - v7, -v5 + v8, v5 - v6, v6 - v8,
           v1 - v9]
    x0 = [q["init_EGFR"], 0, 0, q["init_AKT"], 0, q["init_S6"], 0, 0, 0]
    obs = [q["scaling_pAkt_tot"] * (pAkt + pAkt_S6), q["scaling_pEGFR_tot"] * (pEGFR + pEGFR_Akt),
           pS6 * q["scaling_pS6_tot"]]
    m = Model(list(x), list(p), [EGF], rhs, x0, obs)
    d = "src/test/resources/petab/Fujita_SciSignal2010/"
    conds = {}
    with open(d + "experimentalCondition_Fujita_SciSignal2010.tsv") as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            f = dict(zip(head, line.rstrip("\n").split("\t")))
            conds[f["conditionId"]] = float(f["EGF_0"])
    col = {"pAkt_tot": 0, "pEGFR_tot": 1, "pS6_tot": 2}
    exps = {}
    with open(d + "measurementData_step_Fujita_SciSignal2010.tsv") as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            f = dict(zip(head, line.rstrip("\n").split("\t")))
            pts = exps.setdefault(f["simulationConditionId"], {})
            row = pts.setdefault(float(f["time"]), [[math.nan] * 3, [math.nan] * 3])
            row[0][col[f["observableId"]]] = float(f["measurement"])
            row[1][col[f["observableId"]]] = float(f["noiseParameters"])  # each measurement's own sigma
    data = []
    for e, pts in exps.items():
        times = np.array(sorted(pts))
        y = np.array([pts[t][0] for t in times])
        data.append((np.array([conds[e]]), times, y, np.array([pts[t][1] for t in times])))
    return m, names, data, "normal", [(1e-8, 1e8)] * len(names)


class Problem:
    def __init__(self, model, names, data, kind, tol, sens):
        self.m, self.names, self.data, self.kind, self.tol, self.sens = model, names, data, kind, tol, sens
        self.nobs = sum(int(np.sum(~np.isnan(y))) for _, _, y, _ in data)
        self.deadline = math.inf
        self.best = math.inf
        self.nfev = 0

    def _obs(self, p, c, times, sens):
        """Per time: predicted means (log scale for lognormal) and, with sens, d mean / d p."""
        states = self.m.solve(p, c, times, self.tol, sens)
        nx, n = self.m.nx, self.m.np
        means, derivs = [], []
        for row in states:
            xs = row[:nx]
            h = np.array(self.m.h(xs, p), dtype=float)
            means.append(h)
            if sens:
                s = row[nx:].reshape(nx, n)
                derivs.append(np.asarray(self.m.hx(xs, p), dtype=float) @ s + np.asarray(self.m.hp(xs, p), dtype=float))
        return means, derivs

    def residuals(self, theta, jac=False):
        """r (and dr/dθ), with θ = log10 p; ½‖r‖² is the NLL up to the constant of nll()."""
        if time.perf_counter() > self.deadline:
            raise TimeoutError
        self.nfev += 1
        p = 10.0 ** np.asarray(theta)
        n = len(p)
        res, rows = [], []
        noise, noise_rows = [], []
        for c, times, y, ylog in self.data:
            means, derivs = self._obs(p, c, times, jac)
            for i, h in enumerate(means):
                for k in range(y.shape[1]):
                    if math.isnan(y[i, k]):
                        continue
                    if self.kind == "lognormal":
                        sigma = h[2]
                        res.append((ylog[i, k] - h[k]) / sigma)
                        noise.append(math.sqrt(2 * math.log(sigma) + C))
                        if jac:
                            dsig = derivs[i][2]
                            rows.append(-derivs[i][k] / sigma - res[-1] * dsig / sigma)
                            noise_rows.append(dsig / (sigma * noise[-1]))
                    else:
                        sigma = ylog[i, k]  # for normal data, the 4th entry holds each point's sigma
                        res.append((y[i, k] - h[k]) / sigma)
                        if jac:
                            rows.append(-derivs[i][k] / sigma)
        r = np.array(res + noise)
        if not np.all(np.isfinite(r)):
            raise FloatingPointError("non-finite residuals")
        if not jac:
            return r
        j = np.array(rows + noise_rows) * (p * math.log(10))
        return r, j

    def nll(self, theta):
        r = self.residuals(theta)
        half = 0.5 * float(r @ r)
        const = 0.5 * math.log(2 * math.pi) * self.nobs
        if self.kind == "lognormal":
            logy = sum(float(np.nansum(ylog)) for _, _, _, ylog in self.data)
            return half - 0.5 * C * self.nobs + const + logy
        return half + sum(float(np.nansum(np.log(s))) for _, _, _, s in self.data) + const


def main():
    model, odec_json, out, variant = sys.argv[1:5]
    opts = dict(zip(sys.argv[5::2], sys.argv[6::2]))
    starts = int(opts["--starts"]) if "--starts" in opts else None
    cap = float(opts.get("--cap", "inf"))
    tol = (float(opts.get("--rtol", "1e-8")), float(opts.get("--atol", "1e-8")))
    fit = json.load(open(odec_json))
    m, names, data, kind, bounds = {"enzyme": enzyme, "fujita": fujita}[model]()
    sens = variant == "sens"
    pr = Problem(m, names, data, kind, tol, sens)
    lo = np.log10([b[0] for b in bounds])
    hi = np.log10([b[1] for b in bounds])
    assert fit["estimated"] == names, (fit["estimated"], names)
    rows = []
    for s in fit["starts"][:starts]:
        th0 = np.clip(np.log10([s["initial"][n] for n in names]), lo, hi)
        pr.nfev = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        pr.deadline = t0 + cap
        if cap != math.inf:  # a hard cap too: one solve from a bad start can take longer than the cap itself
            signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError()))
            signal.setitimer(signal.ITIMER_REAL, cap)
        best = [math.inf, None]

        def fun(th):
            r = pr.residuals(th)
            v = 0.5 * float(r @ r)
            if v < best[0]:
                best[:] = [v, np.array(th)]
            return r

        jac = (lambda th: pr.residuals(th, jac=True)[1]) if sens else "2-point"
        status = "ok"
        try:
            least_squares(fun, th0, jac=jac, bounds=(lo, hi), method="trf", ftol=1e-8, xtol=1e-8, gtol=1e-8,
                          max_nfev=MAXFEV)
        except TimeoutError:
            status = "time cap"
        except (FloatingPointError, ValueError, np.linalg.LinAlgError) as e:
            status = "failed: " + str(e).replace("\t", " ")[:60]
        signal.setitimer(signal.ITIMER_REAL, 0)
        secs = time.perf_counter() - t0
        cpu = time.process_time() - c0
        pr.deadline = math.inf
        obj = pr.nll(best[1]) if best[1] is not None else math.nan
        rows.append((s["start"], obj, secs, cpu, pr.nfev, status))
        print(f"{model} {variant} start {s['start']}: objective {obj:.6f}, {secs:.2f} s, {pr.nfev} residual evaluations,"
              f" {status}", file=sys.stderr, flush=True)
    with open(out, "w") as fh:
        fh.write("start\tobjective\tseconds\tcpu_seconds\tnfev\tstatus\n")
        for r in rows:
            fh.write(f"{r[0]}\t{r[1]:.10g}\t{r[2]:.4f}\t{r[3]:.4f}\t{r[4]}\t{r[5]}\n")


if __name__ == "__main__":
    main()
