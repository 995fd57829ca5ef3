"""Data for the neural examples, generated from known systems (run from this folder).

spiral_data.csv: the spiral of torchdiffeq's ode_demo, dz/dt = (z^3) A with
A = [[-0.1, 2.0], [-2.0, -0.1]] (z a row vector), z(0) = (2, 0), observed without noise at
100 times on [0, 10].
"""
import numpy as np
from scipy.integrate import solve_ivp

A = np.array([[-0.1, 2.0], [-2.0, -0.1]])


def spiral():
    t = np.linspace(0.1, 10.0, 100)
    sol = solve_ivp(lambda _, z: (z ** 3) @ A, (0.0, 10.0), [2.0, 0.0], t_eval=t, rtol=1e-10, atol=1e-12,
                    method="DOP853")
    with open("spiral_data.csv", "w") as f:
        f.write("# the spiral dz/dt = (z^3) A, A = [[-0.1, 2], [-2, -0.1]], z(0) = (2, 0); written by make_data.py\n")
        f.write("time,zobs[1],zobs[2]\n")
        for i, ti in enumerate(sol.t):
            f.write(f"{float(ti)!r},{float(sol.y[0, i])!r},{float(sol.y[1, i])!r}\n")


def hybrid():
    """hybrid_data.csv: Lotka-Volterra with a crowding term the mechanistic model lacks,
    d(prey)/dt = 1.5 prey - prey pred - 0.2 prey^2, d(pred)/dt = prey pred - 1.0 pred,
    from (2, 1), observed with normal noise (sd 0.02, seeded) at 60 times on (0, 12]."""
    def f(_, y):
        return [1.5 * y[0] - y[0] * y[1] - 0.2 * y[0] ** 2, y[0] * y[1] - 1.0 * y[1]]
    t = np.linspace(0.2, 12.0, 60)
    sol = solve_ivp(f, (0.0, 12.0), [2.0, 1.0], t_eval=t, rtol=1e-10, atol=1e-12, method="DOP853")
    rng = np.random.default_rng(5)
    with open("hybrid_data.csv", "w") as fh:
        fh.write("# Lotka-Volterra with crowding -0.2 prey^2; normal noise sd 0.02; written by make_data.py\n")
        fh.write("time,prey_obs,pred_obs\n")
        for i, ti in enumerate(sol.t):
            a, b = sol.y[:, i] + rng.normal(0, 0.02, 2)
            fh.write(f"{float(ti)!r},{float(a)!r},{float(b)!r}\n")


def windows(length=10):
    """spiral_windows.csv and spiral_conditions.csv: the spiral cut into overlapping windows of
    `length` points, each an experiment starting at 0 from the observed state (the dynamics are
    autonomous), for mini-batch training as in torchdiffeq's ode_demo."""
    rows = [line.split(",") for line in open("spiral_data.csv") if line[0].isdigit()]
    t = [float(r[0]) for r in rows]
    z = [(float(r[1]), float(r[2])) for r in rows]
    with open("spiral_windows.csv", "w") as d, open("spiral_conditions.csv", "w") as c:
        d.write("# windows of spiral_data.csv, times from each window's start; written by make_data.py\n")
        d.write("experiment,time,zobs[1],zobs[2]\n")
        c.write("experiment,za,zb\n")
        for k in range(len(t) - length):
            c.write(f"w{k + 1},{z[k][0]!r},{z[k][1]!r}\n")
            for j in range(1, length + 1):
                d.write(f"w{k + 1},{round(t[k + j] - t[k], 12)!r},{z[k + j][0]!r},{z[k + j][1]!r}\n")


if __name__ == "__main__":
    spiral()
    windows()
    hybrid()
