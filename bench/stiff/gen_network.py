#!/usr/bin/env python3
"""Writes a stiff mass-action reaction network of N species in three forms from one description.

The network (deterministic for a given N and seed):
  * species S1..SN, 2N reactions;
  * half the reactions are unimolecular  Sa -> Sb            (flux k*Sa),
    half are bimolecular                 Sa + Sb -> Sc + Sd  (flux k*Sa*Sb),
    so every reaction keeps the number of molecules and sum(S) is conserved (the solution stays
    bounded and non-negative);
  * the species of one reaction are drawn from a window of 7 neighbouring indices around a random
    centre: the network is "local" (like a reaction–diffusion or polymerisation network), so its
    Jacobian has bandwidth <= 6 and sparse LU has bounded fill whatever N — the cost of a solve can
    grow linearly with N. (A network wired uniformly at random is an expander graph: any LU of it
    fills in to O(N^2) and no solver's cost can grow linearly.)
  * rate constants k = 10^u, u uniform in [-2, 4]: six decades, so the problem is stiff (an explicit
    method would need steps near 1e-4 over t in [0, 100]);
  * S_i(0) uniform in [0.5, 1.5]; t in [0, 100].

Outputs (in OUTDIR, default bench/target/stiff):
  net_N.json  the description (scipy_stiff.py reads it)
  net_N.ode   the odec model: one `reaction` line per reaction, rate constants as consts
  net_N.c     C for CVODE: net_rhs(y, dy), and the Jacobian in compressed sparse rows
              (NET_NNZ, net_rowptr, net_colidx, net_jac(y, values)), straight-line code written from
              the same description (never by hand)

Usage: gen_network.py [--out OUTDIR] [--seed S] N [N ...]
"""
import json
import os
import random
import sys

WINDOW = 3  # species indices c-3 .. c+3


def network(n, seed):
    rnd = random.Random(seed * 1_000_003 + n)
    y0 = [round(rnd.uniform(0.5, 1.5), 6) for _ in range(n)]
    reactions = []
    for j in range(2 * n):
        c = rnd.randrange(n)
        lo, hi = max(0, c - WINDOW), min(n - 1, c + WINDOW)
        window = list(range(lo, hi + 1))
        k = float(f"{10 ** rnd.uniform(-2, 4):.4g}")
        if j % 2 == 0:
            a, b = rnd.sample(window, 2)
            reactions.append({"reactants": [a], "products": [b], "k": k})
        else:
            a, b, c2, d = rnd.sample(window, 4)
            reactions.append({"reactants": [a, b], "products": [c2, d], "k": k})
    return {"n": n, "seed": seed, "t1": 100.0, "species": [f"S{i + 1}" for i in range(n)],
            "y0": y0, "reactions": reactions}


def write_ode(net, path):
    n = net["n"]
    sp = net["species"]
    lines = [f"# Stiff local mass-action network, {n} species, {len(net['reactions'])} reactions,",
             f"# written by bench/stiff/gen_network.py {n} (seed {net['seed']}; do not edit)",
             f"model net_{n}", ""]
    lines += [f"const k{j + 1} = {r['k']!r}" for j, r in enumerate(net["reactions"])]
    lines.append("")
    lines += [f"state {sp[i]} = {net['y0'][i]!r}" for i in range(n)]
    lines.append("")
    for j, r in enumerate(net["reactions"]):
        lhs = " + ".join(sp[i] for i in r["reactants"])
        rhs = " + ".join(sp[i] for i in r["products"])
        flux = " * ".join([f"k{j + 1}"] + [sp[i] for i in r["reactants"]])
        lines.append(f"reaction {lhs} -> {rhs} : {flux}")
    used = {i for r in net["reactions"] for i in r["reactants"] + r["products"]}
    lines += [f"d({sp[i]})/dt = 0   # in no reaction" for i in range(n) if i not in used]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def stoich(r):
    nu = {}
    for i in r["reactants"]:
        nu[i] = nu.get(i, 0) - 1
    for i in r["products"]:
        nu[i] = nu.get(i, 0) + 1
    return {i: v for i, v in nu.items() if v != 0}


def term(coef, expr):
    if coef == 1:
        return f"+{expr}"
    if coef == -1:
        return f"-{expr}"
    return f"{coef:+d}*{expr}"


def write_c(net, path, chunk=2000):
    n = net["n"]
    rs = net["reactions"]
    # dy[i] = sum_j nu_ij r_j ; J[i][a] = sum_j nu_ij dr_j/dy_a
    rhs_terms = [[] for _ in range(n)]
    jac_terms = [dict() for _ in range(n)]
    for j, r in enumerate(rs):
        nu = stoich(r)
        flux = f"r[{j}]"
        for i, v in nu.items():
            rhs_terms[i].append(term(v, flux))
        reac = r["reactants"]
        for a in set(reac):
            others = [f"y[{b}]" for b in reac if b != a]
            d = "*".join([repr(r["k"])] + others)
            for i, v in nu.items():
                jac_terms[i].setdefault(a, []).append(term(v, "(" + d + ")"))
    # every diagonal entry is in the pattern (0 where structurally absent), so CVODE's
    # M = I - gamma J (SUNMatScaleAddI) keeps the pattern and KLU can refactor without reallocation
    for i in range(n):
        jac_terms[i].setdefault(i, ["0"])
    rowptr, colidx, entries = [0], [], []
    for i in range(n):
        for a in sorted(jac_terms[i]):
            colidx.append(a)
            entries.append(jac_terms[i][a])
        rowptr.append(len(colidx))
    out = [f"/* Written by bench/stiff/gen_network.py {n} (seed {net['seed']}); do not edit. */",
           "#include <math.h>", f"#define NET_N {n}", f"#define NET_NR {len(rs)}",
           f"#define NET_NNZ {len(colidx)}", f"static const double net_t1 = {net['t1']!r};",
           "static const double net_y0[NET_N] = {" + ", ".join(repr(v) for v in net["y0"]) + "};",
           "static const int net_rowptr[NET_N + 1] = {" + ", ".join(map(str, rowptr)) + "};",
           "static const int net_colidx[NET_NNZ > 0 ? NET_NNZ : 1] = {" + ", ".join(map(str, colidx)) + "};",
           "static double r[NET_NR];"]
    # the rates and the right-hand side, in chunks so gcc compiles quickly
    stmts = []
    for j, rr in enumerate(rs):
        stmts.append(f"  r[{j}] = " + "*".join([repr(rr["k"])] + [f"y[{b}]" for b in rr["reactants"]]) + ";")
    for i in range(n):
        stmts.append(f"  dy[{i}] = " + (" ".join(rhs_terms[i]) if rhs_terms[i] else "0") + ";")
    names = []
    for c in range(0, len(stmts), chunk):
        name = f"net_rhs_{c // chunk}"
        names.append(name)
        out.append(f"static void {name}(const double *restrict y, double *restrict dy) {{")
        out += stmts[c:c + chunk]
        out.append("}")
    out.append("static void net_rhs(const double *restrict y, double *restrict dy) {")
    out += [f"  {nm}(y, dy);" for nm in names]
    out.append("}")
    stmts = [f"  v[{e}] = " + " ".join(t) + ";" for e, t in enumerate(entries)]
    names = []
    for c in range(0, len(stmts), chunk):
        name = f"net_jac_{c // chunk}"
        names.append(name)
        out.append(f"static void {name}(const double *restrict y, double *restrict v) {{")
        out += stmts[c:c + chunk]
        out.append("}")
    out.append("static void net_jac(const double *restrict y, double *restrict v) {")
    out += [f"  {nm}(y, v);" for nm in names]
    out.append("}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return len(colidx)


def main(argv):
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "stiff")
    seed = 1
    sizes = []
    i = 1
    while i < len(argv):
        if argv[i] == "--out":
            out_dir = argv[i + 1]
            i += 2
        elif argv[i] == "--seed":
            seed = int(argv[i + 1])
            i += 2
        else:
            sizes.append(int(argv[i]))
            i += 1
    os.makedirs(out_dir, exist_ok=True)
    for n in sizes or [1000]:
        if n < 7:
            raise SystemExit("N must be at least 7")
        net = network(n, seed)
        base = os.path.join(out_dir, f"net_{n}")
        with open(base + ".json", "w") as f:
            json.dump(net, f)
        write_ode(net, base + ".ode")
        nnz = write_c(net, base + ".c")
        print(f"{base}.{{json,ode,c}}: {n} species, {len(net['reactions'])} reactions, "
              f"{nnz} Jacobian non-zeros", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
