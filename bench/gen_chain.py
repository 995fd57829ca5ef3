#!/usr/bin/env python3
"""Writes bench/models/chain_N.ode: the linear reaction chain A1 -> A2 -> ... -> AN.

Reaction i (i = 1..N-1) is A_i -> A_{i+1} with mass-action flux k_i*A_i and
k_i = 1 + (i mod 7)/7 (a param, so the rate is loaded at run time as in a real
model). A1(0) = 1, the others 0. The output is deterministic.

Usage: gen_chain.py N [N ...]   (writes next to this script, in models/)
"""
import os
import sys


def rate(i):
    return 1 + (i % 7) / 7


def model(n):
    lines = [
        f"# Linear reaction chain A1 -> ... -> A{n}, written by bench/gen_chain.py (do not edit)",
        f"model chain_{n}",
        "",
    ]
    lines += [f"param k{i} = {rate(i)!r}" for i in range(1, n)]
    lines.append("")
    lines += [f"state A{i} = {1 if i == 1 else 0}" for i in range(1, n + 1)]
    lines.append("")
    lines += [f"reaction A{i} -> A{i + 1} : k{i}*A{i}" for i in range(1, n)]
    return "\n".join(lines) + "\n"


def main(argv):
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
    os.makedirs(out_dir, exist_ok=True)
    for arg in argv[1:] or ["10", "100", "1000"]:
        n = int(arg)
        if n < 2:
            raise SystemExit("N must be at least 2")
        path = os.path.join(out_dir, f"chain_{n}.ode")
        with open(path, "w") as f:
            f.write(model(n))
        print(path)


if __name__ == "__main__":
    main(sys.argv)
