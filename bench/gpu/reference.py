#!/usr/bin/env python3
"""The ensembles of bench/gpu.sh solved by an array library, for the ratios against odec's generated CUDA.

  reference.py --lib torchdiffeq|diffrax|scipy --model lv|robertson --solver NAME --members M
               [--t1 T] [--nsave K] [--rtol X] [--atol X] [--repeat R]

Prints one line `lib=... model=... solver=... members=M ms=MEDIAN checksum=S` (ms: the median over R timed
solves after one untimed warm-up, which for diffrax includes the JIT compilation; checksum: the sum over members
of component 1 at the last output time, as odec's bench mode prints it), or `skipped: REASON` with exit status 2
when the library (or a GPU for it) is missing.

The members are odec's bench-mode members: the model's nominal parameters, each one that bench mode varies times
(1 + 0.1 (2u - 1)) with u = splitmix64(m * NP + q) as in the generated od_uniform (NP: the length of the
parameter vector). The right-hand sides are written here by hand from examples/lotka_volterra.ode and
examples/stiff/robertson.ode.
  torchdiffeq: one batched solve (the batch shares one step size: its error norm covers every member).
  diffrax: jax.vmap of one member's solve (per-member step sizes, run in lock step), float64.
  scipy: members one after another with solve_ivp on the CPU (a cross-check of members and checksums only).
"""
import argparse
import statistics
import sys
import time

import numpy as np

MODELS = {
    # nominal p, which entries bench mode varies, y0
    "lv": (np.array([1.5, 1.0, 3.0, 1.0, 1.0]), np.array([1, 1, 1, 1, 1], bool), np.array([1.0, 1.0])),
    "robertson": (np.array([0.04, 3e7, 1e4]), np.array([1, 1, 1], bool), np.array([1.0, 0.0, 0.0])),
}
MASK64 = (1 << 64) - 1


def splitmix_uniform(keys):
    """od_uniform of the generated code, vectorised: splitmix64's output >> 11, times 2^-53."""
    z = (keys.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def members(model, m):
    nominal, vary, y0 = MODELS[model]
    n_p = len(nominal)
    keys = np.arange(m, dtype=np.uint64)[:, None] * np.uint64(n_p) + np.arange(n_p, dtype=np.uint64)[None, :]
    u = splitmix_uniform(keys)
    p = np.where(vary[None, :], nominal[None, :] * (1.0 + 0.1 * (2.0 * u - 1.0)), nominal[None, :])
    return p, np.tile(y0, (m, 1))


def timed(run, repeat):
    run()  # warm-up (and compilation)
    ms = []
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        ms.append((time.perf_counter() - start) * 1e3)
    return statistics.median(ms), out


def torchdiffeq_run(a, p, y0, ts):
    try:
        import torch
        import torchdiffeq
    except ImportError as e:
        raise SystemExit2(f"torchdiffeq is not installed ({e})")
    if not torch.cuda.is_available():
        raise SystemExit2("PyTorch sees no CUDA GPU")
    if a.model != "lv":
        raise SystemExit2("torchdiffeq has no adaptive stiff solver for Robertson")
    dev = torch.device("cuda")
    P = torch.tensor(p, dtype=torch.float64, device=dev)
    Y0 = torch.tensor(y0, dtype=torch.float64, device=dev)
    T = torch.tensor(ts, dtype=torch.float64, device=dev)

    def f(t, y):
        prey, pred = y[:, 0], y[:, 1]
        return torch.stack([P[:, 0] * prey - P[:, 1] * prey * pred, P[:, 2] * prey * pred - P[:, 3] * pred], dim=1)

    def run():
        ys = torchdiffeq.odeint(f, Y0, T, rtol=a.rtol, atol=a.atol, method=a.solver)
        torch.cuda.synchronize()
        return ys[-1, :, 0].sum().item()

    return timed(run, a.repeat)


def diffrax_run(a, p, y0, ts):
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        import diffrax
        import jax.numpy as jnp
    except ImportError as e:
        raise SystemExit2(f"diffrax/JAX is not installed ({e})")
    if not any(d.platform == "gpu" for d in jax.devices()):
        raise SystemExit2("JAX sees no GPU")
    solver = {"tsit5": diffrax.Tsit5, "dopri5": diffrax.Dopri5, "kvaerno5": diffrax.Kvaerno5}[a.solver]()

    if a.model == "lv":
        def rhs(t, y, k):
            return jnp.stack([k[0] * y[0] - k[1] * y[0] * y[1], k[2] * y[0] * y[1] - k[3] * y[1]])
    else:
        def rhs(t, y, k):
            return jnp.stack([-k[0] * y[0] + k[2] * y[1] * y[2],
                              k[0] * y[0] - k[2] * y[1] * y[2] - k[1] * y[1] ** 2,
                              k[1] * y[1] ** 2])

    ts_j = jnp.asarray(ts)

    def one(k, y):
        sol = diffrax.diffeqsolve(diffrax.ODETerm(rhs), solver, t0=0.0, t1=float(ts[-1]), dt0=None, y0=y, args=k,
                                  saveat=diffrax.SaveAt(ts=ts_j),
                                  stepsize_controller=diffrax.PIDController(rtol=a.rtol, atol=a.atol),
                                  max_steps=100000)
        return sol.ys[-1, 0]

    f = jax.jit(jax.vmap(one))
    P = jnp.asarray(p)
    Y0 = jnp.asarray(y0)

    def run():
        return float(f(P, Y0).block_until_ready().sum())

    return timed(run, a.repeat)


def scipy_run(a, p, y0, ts):
    from scipy.integrate import solve_ivp

    def rhs(t, y, k):
        if a.model == "lv":
            return [k[0] * y[0] - k[1] * y[0] * y[1], k[2] * y[0] * y[1] - k[3] * y[1]]
        return [-k[0] * y[0] + k[2] * y[1] * y[2], k[0] * y[0] - k[2] * y[1] * y[2] - k[1] * y[1] ** 2, k[1] * y[1] ** 2]

    method = {"tsit5": "RK45", "dopri5": "RK45", "rodas5": "Radau", "kvaerno5": "Radau"}[a.solver]

    def run():
        total = 0.0
        for m in range(len(p)):
            sol = solve_ivp(rhs, (0.0, ts[-1]), y0[m], method=method, t_eval=ts, args=(p[m],), rtol=a.rtol, atol=a.atol)
            total += sol.y[0, -1]
        return total

    return timed(run, a.repeat)


class SystemExit2(Exception):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True, choices=["torchdiffeq", "diffrax", "scipy"])
    ap.add_argument("--model", required=True, choices=list(MODELS))
    ap.add_argument("--solver", required=True)
    ap.add_argument("--members", type=int, required=True)
    ap.add_argument("--t1", type=float, default=10.0)
    ap.add_argument("--nsave", type=int, default=11)
    ap.add_argument("--rtol", type=float, default=1e-6)
    ap.add_argument("--atol", type=float, default=1e-8)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    p, y0 = members(a.model, a.members)
    ts = np.linspace(0.0, a.t1, a.nsave) if a.nsave > 1 else np.array([a.t1])
    run = {"torchdiffeq": torchdiffeq_run, "diffrax": diffrax_run, "scipy": scipy_run}[a.lib]
    try:
        ms, checksum = run(a, p, y0, ts)
    except SystemExit2 as e:
        print(f"skipped: {e}")
        sys.exit(2)
    print(f"lib={a.lib} model={a.model} solver={a.solver} members={a.members} ms={ms:.3f} checksum={checksum:.17g}")


if __name__ == "__main__":
    main()
