"""Synthetic data for the models of this folder, from scipy solves through their events and
switches at the models' nominal parameters, with seeded noise. Run from this folder:
    python3 generate.py
It rewrites *_data.csv. The solves restart at every event and switch (solve_ivp with terminal
events or known segment ends), independently of odec."""
import numpy as np
from scipy.integrate import solve_ivp

rng = np.random.default_rng(20261129)
TOL = dict(rtol=1e-11, atol=1e-12, method="DOP853")


def piecewise(fs, y0, t_eval, bounds, jumps=None):
    """Solve on [0, bounds[0]], [bounds[0], bounds[1]], ... with right-hand sides fs[i], applying
    jumps[i](y) at bounds[i]; returns the states at t_eval (right-continuous)."""
    ts = [0.0] + list(bounds) + [max(t_eval)]
    y = np.array(y0, float)
    out = {}
    for i in range(len(ts) - 1):
        a, b = ts[i], ts[i + 1]
        if b > a:
            pts = [s for s in t_eval if a <= s <= b]
            sol = solve_ivp(fs[i], (a, b), y, t_eval=pts or None, **TOL)
            for s, col in zip(sol.t, sol.y.T):
                out[s] = col
            y = solve_ivp(fs[i], (a, b), y, **TOL).y[:, -1]
        if jumps is not None and i < len(jumps) and jumps[i] is not None:
            y = jumps[i](y)
            if b in out:
                out[b] = y.copy()
    return [out[s] for s in t_eval]


def write(name, header, rows):
    with open(name, "w") as fh:
        fh.write(",".join(header) + "\n")
        for r in rows:
            fh.write(",".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in r) + "\n")


# pk_doses: doses at 2, 14, ..., 62 (until 72)
ka, ke, V, dose, t_dose, sigma = 1.2, 0.25, 20.0, 100.0, 2.0, 0.2
# (no measurement at a dose time: there the objective has a kink in t_dose)
times = [1, 3, 5, 8, 13, 15, 20, 25.5, 27, 30, 40, 51, 61.5, 63, 70, 80]
dose_times = [t_dose + 12 * k for k in range(100) if t_dose + 12 * k <= 72]
f = lambda t, y: [-ka * y[0], ka * y[0] - ke * y[1]]
ys = piecewise([f] * (len(dose_times) + 1), [0, 0], times, dose_times,
               [lambda y: y + np.array([dose, 0])] * len(dose_times))
write("pk_doses_data.csv", ["time", "conc"],
      [[t, y[1] / V + sigma * rng.standard_normal()] for t, y in zip(times, ys)])

# step_input
k, amp, t_on, sigma = 0.5, 2.0, 3.0, 0.1
times = [0.5, 1, 2, 2.9, 3.1, 3.5, 4, 5, 6, 8, 10]
ys = piecewise([lambda t, y: [-k * y[0]], lambda t, y: [amp - k * y[0]]], [0], times, [t_on])
write("step_input_data.csv", ["time", "x_obs"], [[t, y[0] + sigma * rng.standard_normal()] for t, y in zip(times, ys)])

# threshold: a located switch at x = thr (rising), a known switch at t_off
prod, k_lo, k_hi, thr, t_off, sigma = 2.0, 0.1, 0.6, 3.0, 6.0, 0.1
times = [0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 7, 8, 10, 12]
def thr_rhs(prod_on, k_):
    return lambda t, y: [(prod if prod_on else 0.0) - k_ * y[0]]
cross = lambda t, y: y[0] - thr
cross.terminal = True
# the switches, in time order: the rising crossing of thr, t_off, the falling crossing
bounds, rhss = [], [thr_rhs(True, k_lo)]
t, y, above, on = 0.0, np.array([0.5]), False, True
while t < max(times):
    end = t_off if on else max(times)
    cross.direction = -1 if above else 1
    sol = solve_ivp(rhss[-1], (t, end), y, events=cross, **TOL)
    if sol.status == 1:
        t, y = sol.t_events[0][0], sol.y_events[0][0]
        above = not above
    else:
        t, y = end, sol.y[:, -1]
        if not on or t >= max(times):
            break
        on = False
    bounds.append(t)
    rhss.append(thr_rhs(on, k_hi if above else k_lo))
ys = piecewise(rhss, [0.5], times, bounds)
t_cross = bounds
write("threshold_data.csv", ["time", "x_obs"], [[t, y[0] + sigma * rng.standard_normal()] for t, y in zip(times, ys)])

# bouncing_ball: impacts located by terminal events
g, e, h0, sigma = 9.81, 0.8, 2.0, 0.05
times = [0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.2, 1.5, 1.8, 2.0, 2.2, 2.5]
ball = lambda t, y: [y[1], -g]
hit = lambda t, y: y[0]
hit.terminal = True
hit.direction = -1
t, y, impacts = 0.0, np.array([h0, 0.0]), []
while t < max(times):
    sol = solve_ivp(ball, (t, max(times)), y, events=hit, **TOL)
    if sol.status == 1:
        t = sol.t_events[0][0]
        y = sol.y_events[0][0] * np.array([1.0, -e])
        y[0] = 0.0
        impacts.append(t)
    else:
        break
ys = piecewise([ball] * (len(impacts) + 1), [h0, 0], times, impacts,
               [lambda y: np.array([0.0, -e * y[1]])] * len(impacts))
write("bouncing_ball_data.csv", ["time", "h_obs"], [[t, y[0] + sigma * rng.standard_normal()] for t, y in zip(times, ys)])

# sir_lockdown: Poisson counts of the cumulative cases
beta0, red, t_lock, gamma, N = 0.4, 0.4, 20.0, 0.1, 1e5
def sir(b):
    return lambda t, y: [-b * y[0] * y[1] / N, b * y[0] * y[1] / N - gamma * y[1], b * y[0] * y[1] / N]
times = [5, 10, 15, 18, 21, 25, 30, 35, 40, 50, 60]
ys = piecewise([sir(beta0), sir(beta0 * red)], [N - 10, 10, 10], times, [t_lock])
write("sir_lockdown_data.csv", ["time", "cases"], [[t, int(rng.poisson(y[2]))] for t, y in zip(times, ys)])
print("impacts", impacts, "threshold crossing", t_cross)

# input_steps: the input steps at t = 0 (from x = 0 to a) and at t_step (to b)
a, b, t_step, kf, ks, sigma = 1.0, 3.0, 24.0, 500.0, 0.2, 0.05
def steps_rhs(u):
    return lambda t, y: [kf * (u - y[0]), ks * y[0] - 0.1 * y[1]]
times = [1, 5, 10, 20, 23, 25, 26, 30, 40, 48]
ys = piecewise([steps_rhs(a), steps_rhs(b)], [0, 0], times, [t_step])
write("input_steps_data.csv", ["time", "y_obs", "x_obs"],
      [[t, y[1] + sigma * rng.standard_normal(), y[0] + sigma * rng.standard_normal()] for t, y in zip(times, ys)])

# preeq: closed form. Steady state without the stimulus, then the linear system with u.
k1, k2, k3, kc, tot, sigma = 0.5, 0.2, 0.1, 0.3, 2.0, 0.05
def preeq_state(u, t):
    a_ss, b_ss = k1 / k2, k1 / k3                        # u = 0
    d_ss = tot * kc / (kc + 0.5)                          # C -> D at kc, D -> C at 0.5
    a_inf, b_inf = k1 * (1 + u) / k2, k1 * (1 + u) / k3
    # A(t) = a_inf + (a_ss - a_inf) e^{-k2 t}; B' = k2 A - k3 B solved exactly
    ca = a_ss - a_inf
    b = b_inf + (k2 * ca / (k3 - k2)) * np.exp(-k2 * t) + (b_ss - b_inf - k2 * ca / (k3 - k2)) * np.exp(-k3 * t)
    r = kc * (1 + u) + 0.5
    d_inf = tot * kc * (1 + u) / r
    d = d_inf + (d_ss - d_inf) * np.exp(-r * t)
    return b, d
rows = []
for exp, u in (("stim", 1.0), ("stim2", 3.0)):
    for t in [0, 1, 2, 5, 10, 20, 40]:
        b, d = preeq_state(u, t)
        rows.append([exp, t, b + sigma * rng.standard_normal(), d + sigma * rng.standard_normal()])
write("preeq_data.csv", ["experiment", "time", "B_obs", "D_obs"], rows)
