#!/usr/bin/env python3
"""scipy.integrate.solve_ivp (BDF, Radau, LSODA) on the stiff problems, analytic Jacobians from
problems.py (sparse for the networks; LSODA takes only dense ones, so it runs on networks up to
n = 1000). A solve goes from 0 to t1 and keeps y(t1) only (t_eval=[t1]).

Timing: one warm-up solve, then solves until the budget is spent (at least 1, at most 7); median
and min of time per solve. Writes RESDIR/ID.scipy.tsv and RESDIR/ID.scipy.METHOD.RTOL.state.

--reference: one Radau solve at rtol 1e-12, atol 1e-12*floor, written to RESDIR/ID.ref.radau.state.

usage: scipy_stiff.py RESDIR STIFFDIR ID [ID ...] --tols RTOL,... [--budget-s S] [--reference]
"""
import statistics
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

import problems as P


def run(pr, method, rtol, atol):
    s = solve_ivp(pr.f, (0.0, pr.t1), pr.y0, method=method, jac=pr.jac, rtol=rtol, atol=atol, t_eval=[pr.t1])
    if s.status != 0:
        raise RuntimeError(f"{pr.name} {method} rtol {rtol}: {s.message}")
    return s


def main(argv):
    res, stiff_dir = argv[1], argv[2]
    ids, tols, budget, reference = [], [], 2.0, False
    i = 3
    while i < len(argv):
        if argv[i] == "--tols":
            tols = [float(x) for x in argv[i + 1].split(",")]
            i += 2
        elif argv[i] == "--budget-s":
            budget = float(argv[i + 1])
            i += 2
        elif argv[i] == "--reference":
            reference = True
            i += 1
        else:
            ids.append(argv[i])
            i += 1
    for pid in ids:
        pr = P.by_name(pid, stiff_dir)
        if reference:
            t = time.perf_counter()
            s = run(pr, "Radau", 1e-12, 1e-12 * pr.floor)
            np.savetxt(f"{res}/{pid}.ref.radau.state", s.y[:, -1], fmt="%.17g")
            print(f"{pid}: reference Radau rtol 1e-12 in {time.perf_counter() - t:.1f} s, nfev {s.nfev}", file=sys.stderr)
            continue
        lines = []
        for rtol in tols:
            atol = rtol * pr.floor
            for method in ["BDF", "Radau", "LSODA"]:
                if method == "LSODA" and pr.n > 100:
                    continue
                if method == "LSODA" and pr.n > 20:
                    jac = pr.jac
                    pr.jac = lambda t, y, jac=jac: jac(t, y).toarray()
                else:
                    jac = None
                try:
                    run(pr, method, rtol, atol)  # warm-up
                    times = []
                    start = time.perf_counter()
                    while not times or (time.perf_counter() - start < budget and len(times) < 7):
                        t = time.perf_counter()
                        s = run(pr, method, rtol, atol)
                        times.append(time.perf_counter() - t)
                finally:
                    if jac is not None:
                        pr.jac = jac
                np.savetxt(f"{res}/{pid}.scipy.{method}.{rtol:.0e}.state", s.y[:, -1], fmt="%.17g")
                lines.append(f"{pid}\t{pr.n}\t{rtol:.0e}\t{atol:.0e}\tscipy\t{method}\t{statistics.median(times):.6e}\t"
                             f"{min(times):.6e}\t{len(times)}\t1\t{s.nfev}\t{s.njev}\t{s.nlu}\t-1\t-1\t-1\n")
                print(f"{pid} rtol {rtol:.0e} scipy {method:6s} {statistics.median(times) * 1e3:10.2f} ms  nfev {s.nfev} "
                      f"njev {s.njev} nlu {s.nlu}", file=sys.stderr)
        with open(f"{res}/{pid}.scipy.tsv", "w") as fh:
            fh.writelines(lines)


if __name__ == "__main__":
    main(sys.argv)
