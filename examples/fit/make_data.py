"""Makes the data files of the fit examples: each model is solved tightly (scipy's solve_ivp,
LSODA/DOP853 at rtol 1e-11) at the 'true' parameters below, and seeded noise of the model's
own noise distribution is added. Run from this folder: python3 make_data.py"""
import numpy as np
from scipy.integrate import solve_ivp

TIGHT = dict(rtol=1e-11, atol=1e-12, method="DOP853")


def enzyme():
    kon, koff, kcat, sigma = 2e-3, 0.05, 0.08, 0.1
    conds = {"low": (10, 500), "high_enzyme": (40, 500), "low_substrate": (10, 150)}
    times = np.arange(5, 125, 5.0)
    rng = np.random.default_rng(1)
    rows = []
    for exp, (e0, s0) in conds.items():
        def f(t, x):
            e, s, es, p = x
            v1 = kon * e * s - koff * es
            v2 = kcat * es
            return [-v1 + v2, -v1, v1 - v2, v2]
        sol = solve_ivp(f, (0, times[-1]), [e0, s0, 0, 0], t_eval=times, **TIGHT)
        for i, t in enumerate(times):
            p = sol.y[3, i] * np.exp(sigma * rng.standard_normal())
            s = sol.y[1, i] * np.exp(sigma * rng.standard_normal())
            rows.append(f"{exp},{t:g},{p:.17g},{s:.17g}")
    with open("enzyme_data.csv", "w") as fh:
        fh.write("# made by make_data.py: kon=2e-3 koff=0.05 kcat=0.08 sigma=0.1, seed 1\n")
        fh.write("experiment,time,product,substrate\n" + "\n".join(rows) + "\n")


def lotka_volterra():
    a, b, d, g, sigma = 1.5, 1.0, 3.0, 1.0, 0.2
    times = np.arange(0.5, 10.5, 0.5)
    rng = np.random.default_rng(2)
    f = lambda t, x: [a * x[0] - b * x[0] * x[1], d * x[0] * x[1] - g * x[1]]
    sol = solve_ivp(f, (0, times[-1]), [1.0, 1.0], t_eval=times, **TIGHT)
    with open("lv_data.csv", "w") as fh:
        fh.write("# made by make_data.py: alpha=1.5 beta=1 delta=3 gamma=1 sigma=0.2, seed 2\n")
        fh.write("time,prey_obs,pred_obs\n")
        for i, t in enumerate(times):
            fh.write(f"{t:g},{sol.y[0, i] + sigma * rng.standard_normal():.17g},{sol.y[1, i] + sigma * rng.standard_normal():.17g}\n")


def cascade():
    k = [2.0, 0.5, 3.0, 1.0, 1.5, 0.3]
    scale2, offset2, scale3, offset3, sigma = 5.0, 0.5, 8.0, 0.2, 0.1
    times = np.array([0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20.0])
    rng = np.random.default_rng(3)
    f = lambda t, x: [k[0] * (1 - x[0]) - k[1] * x[0], k[2] * x[0] * (1 - x[1]) - k[3] * x[1],
                      k[4] * x[1] * (1 - x[2]) - k[5] * x[2]]
    sol = solve_ivp(f, (0, times[-1]), [0, 0, 0], t_eval=times, **TIGHT)
    with open("cascade_data.csv", "w") as fh:
        fh.write("# made by make_data.py: k=2,0.5,3,1,1.5,0.3 scale2=5 offset2=0.5 scale3=8 offset3=0.2 sigma=0.1, seed 3\n")
        fh.write("time,pX2,pX3\n")
        for rep in range(2):  # two replicates per time
            for i, t in enumerate(times):
                y2 = scale2 * sol.y[1, i] + offset2 + sigma * rng.standard_normal()
                y3 = scale3 * sol.y[2, i] + offset3 + sigma * rng.standard_normal()
                fh.write(f"{t:g},{y2:.17g},{y3:.17g}\n")


if __name__ == "__main__":
    enzyme()
    lotka_volterra()
    cascade()
