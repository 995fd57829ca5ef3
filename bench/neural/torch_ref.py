#!/usr/bin/env python3
"""PyTorch reference for bench/neural.sh, written for this benchmark (torchdiffeq cannot be
installed here): a plain batched Dormand-Prince 5(4) loop in float64 with the tableau of
Dormand & Prince (1980) and torchdiffeq's error control -- one step size for the whole batch,
the RMS norm of err / (atol + rtol max(|y0|, |y1|)) over every element, Hairer's initial step,
the step factor 0.9 err^(-1/5) clamped to [0.2, 10] -- on the same MLP 2 -> 64 -> 2 (tanh)
with the same weights and starts as odec's run. A training step is the loss
0.5 sum |z(1) - target|^2 and its gradient by backpropagation through the solver's steps.

usage: torch_ref.py DIR BATCHES(comma) MAX_SECONDS_PER_CASE   (reads DIR/weights.txt, DIR/starts.csv;
writes DIR/torch.tsv)
"""
import statistics
import sys
import time

import torch

torch.set_default_dtype(torch.float64)

C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1]
A = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
     [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]
E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]


def load(d):
    w = {}
    for line in open(f"{d}/weights.txt"):
        k, v = line.strip().split("=")
        w[k] = float(v)
    H = 64
    W1 = torch.tensor([[w[f"W1[{i + 1},{j + 1}]"] for j in range(2)] for i in range(H)])
    b1 = torch.tensor([w[f"b1[{i + 1}]"] for i in range(H)])
    W2 = torch.tensor([[w[f"W2[{i + 1},{j + 1}]"] for j in range(H)] for i in range(2)])
    b2 = torch.tensor([w[f"b2[{i + 1}]"] for i in range(2)])
    rows = [list(map(float, l.split(","))) for l in open(f"{d}/starts.csv").read().splitlines()[1:]]
    data = torch.tensor(rows)
    return [W1, b1, W2, b2], data[:, :2], data[:, 2:]


def f(params, z):
    W1, b1, W2, b2 = params
    return torch.tanh(z @ W1.T + b1) @ W2.T + b2


def rms(x):
    return torch.sqrt(torch.mean(x * x))


def dopri5(params, y, t1, rtol=1e-6, atol=1e-8):
    t = 0.0
    k1 = f(params, y)
    with torch.no_grad():
        sc = atol + rtol * y.abs()
        d0, d1 = rms(y / sc).item(), rms(k1 / sc).item()
        h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
        d2 = rms((f(params, y + h0 * k1) - k1) / sc).item() / h0
        h1 = max(1e-6, h0 * 1e-3) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** (1 / 5)
        h = min(100 * h0, h1, t1)
    steps = 0
    while t < t1:
        h = min(h, t1 - t)
        ks = [k1]
        for i in range(1, 7):
            yi = y + h * sum(a * k for a, k in zip(A[i], ks) if a != 0)
            ks.append(f(params, yi))
        y1 = yi  # FSAL: the last stage is taken at y1
        with torch.no_grad():
            err = h * sum(e * k for e, k in zip(E, ks) if e != 0)
            en = rms(err / (atol + rtol * torch.maximum(y.abs(), y1.abs()))).item()
        if en <= 1:
            t += h
            y, k1 = y1, ks[6]
            steps += 1
        h = h * min(10.0, max(0.2, 0.9 * (en if en > 0 else 1e-10) ** (-1 / 5)))
    return y, steps


def timed(fn, budget):
    fn()
    ts = []
    start = time.perf_counter()
    while len(ts) < 3 or (len(ts) < 25 and time.perf_counter() - start < budget):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return ts


def main():
    d, batches, budget = sys.argv[1], [int(b) for b in sys.argv[2].split(",")], float(sys.argv[3])
    params, z0, target = load(d)
    out = ["case\tbackend\tbatch\tmedian_s\tsamples\tsteps_mean"]
    for b in batches:
        y0, tg = z0[:b].clone(), target[:b].clone()
        steps = [0]

        def forward():
            with torch.no_grad():
                steps[0] = dopri5(params, y0, 1.0)[1]

        ts = timed(forward, budget)
        out.append(f"forward\ttorch\t{b}\t{statistics.median(ts):.6g}\t{len(ts)}\t{steps[0]}")
        print(f"torch forward B={b}: {1e3 * statistics.median(ts):.3f} ms", file=sys.stderr)
        ps = [p.clone().requires_grad_(True) for p in params]

        def train():
            for p in ps:
                p.grad = None
            y1, _ = dopri5(ps, y0, 1.0)
            loss = 0.5 * ((y1 - tg) ** 2).sum()
            loss.backward()

        ts = timed(train, budget)
        out.append(f"train\ttorch\t{b}\t{statistics.median(ts):.6g}\t{len(ts)}\t-")
        print(f"torch train B={b}: {1e3 * statistics.median(ts):.3f} ms", file=sys.stderr)
    with open(f"{d}/torch.tsv", "w") as fh:
        fh.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
