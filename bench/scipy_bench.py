#!/usr/bin/env python3
"""scipy.integrate.solve_ivp (RK45, DOP853) on the benchmark problems.

Reads RESULTS/ID.ref.json (written by the Java harness: parameters, y0, the 101
output times and the reference solution) and writes RESULTS/ID.scipy.tsv with
the same columns as the Java harness. The right-hand sides are written in plain
numpy (the chain vectorised). Timing: one warm-up solve, then repeats timed with
time.perf_counter; median and min. Also records how far scipy's own DOP853 at
the reference tolerances is from the reference.

Usage: scipy_bench.py RESULTS ID [ID ...] [--tols RTOL:ATOL,...] [--budget-s S]
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp


def lotka_volterra(params):
    alpha, beta, delta, gamma = (params[k] for k in ("alpha", "beta", "delta", "gamma"))

    def f(t, y):
        prey, pred = y
        return np.array([alpha * prey - beta * prey * pred, delta * prey * pred - gamma * pred])

    return f


def chain(params, n):
    k = np.array([params[f"k{i}"] for i in range(1, n)])
    assert np.array_equal(k, 1 + (np.arange(1, n) % 7) / 7)

    def f(t, y):
        flux = k * y[:-1]
        d = np.empty_like(y)
        d[0] = -flux[0]
        d[1:-1] = flux[:-1] - flux[1:]
        d[-1] = flux[-1]
        return d

    return f


def rhs_for(ref):
    if ref["model"] == "lotka_volterra":
        return lotka_volterra(ref["params"])
    if ref["model"].startswith("chain_"):
        return chain(ref["params"], ref["n"])
    raise SystemExit(f"no scipy right-hand side for model {ref['model']}")


def solve(f, ref, method, rtol, atol):
    times = ref["times"]
    sol = solve_ivp(f, (times[0], times[-1]), ref["y0"], method=method, t_eval=times,
                    rtol=rtol, atol=atol)
    if sol.status != 0:
        raise SystemExit(f"{ref['problem']} {method} rtol {rtol}: {sol.message}")
    return sol


def main(argv):
    args = argv[1:]
    tols = [(1e-6, 1e-8), (1e-10, 1e-12)]
    budget = 3.0
    if "--tols" in args:
        i = args.index("--tols")
        tols = [tuple(float(x) for x in pair.split(":")) for pair in args[i + 1].split(",")]
        del args[i:i + 2]
    if "--budget-s" in args:
        i = args.index("--budget-s")
        budget = float(args[i + 1])
        del args[i:i + 2]
    results, ids = args[0], args[1:]
    for pid in ids:
        with open(os.path.join(results, pid + ".ref.json")) as fh:
            ref = json.load(fh)
        f = rhs_for(ref)
        y_ref = np.array(ref["ref"])
        n = ref["n"]
        rows = ["problem\tn\trtol\tatol\ttool\tmethod\tmedian_s\tmin_s\tsamples\treps\tnfe\tsteps\t"
                "rejected\tmax_err\tbytes_per_solve"]
        for rtol, atol in tols:
            for method in ("RK45", "DOP853"):
                sol = solve(f, ref, method, rtol, atol)  # warm-up
                t = time.perf_counter()
                sol = solve(f, ref, method, rtol, atol)
                one = time.perf_counter() - t
                repeats = int(min(21, max(5, budget / max(one, 1e-9))))
                ts = []
                for _ in range(repeats):
                    t = time.perf_counter()
                    sol = solve(f, ref, method, rtol, atol)
                    ts.append(time.perf_counter() - t)
                err = float(np.max(np.abs(sol.y.T - y_ref)))
                rows.append(f"{pid}\t{n}\t{rtol:.0e}\t{atol:.0e}\tscipy\t{method}\t"
                            f"{statistics.median(ts):.6e}\t{min(ts):.6e}\t{repeats}\t1\t{sol.nfev}\t\t\t"
                            f"{err:.3e}\t")
                print(f"{pid} rtol {rtol:.0e} scipy {method:7s} {statistics.median(ts) * 1e3:9.3f} ms "
                      f"nfev {sol.nfev:6d} err {err:.2e}", file=sys.stderr)
        with open(os.path.join(results, pid + ".scipy.tsv"), "w") as fh:
            fh.write("\n".join(rows) + "\n")
        # How far scipy's DOP853 at the reference tolerances is from the reference (odec dop853).
        sol = solve(f, ref, "DOP853", 1e-13, 1e-15)
        diff = float(np.max(np.abs(sol.y.T - y_ref)))
        with open(os.path.join(results, pid + ".refcheck.tsv"), "w") as fh:
            fh.write("problem\tn\tscipy_version\tscipy_dop853_vs_ref\n")
            fh.write(f"{pid}\t{n}\t{scipy.__version__}\t{diff:.3e}\n")
        print(f"{pid}: scipy DOP853 rtol 1e-13 vs reference: max |diff| {diff:.2e}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
