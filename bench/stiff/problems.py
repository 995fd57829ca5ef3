"""The stiff benchmark problems for scipy: right-hand sides and analytic Jacobians written by hand
(Robertson, HIRES, Pollution: the IVP Test Set's equations, typed independently of the .ode files)
or built from a network description of bench/stiff/gen_network.py (sparse Jacobian).

Each problem: name, n, t1, y0, f(t, y), jac(t, y), floor (the magnitude below which a reference
component is negligible: atol = rtol * floor, digits are measured on components above it, as in
src/test/java/dev/odec/solve/StiffSolversTest.java)."""
import csv
import json
import os

import numpy as np
import scipy.sparse as sp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class Problem:
    def __init__(self, name, y0, t1, f, jac, floor, names):
        self.name, self.y0, self.t1, self.f, self.jac, self.floor = name, np.array(y0, float), t1, f, jac, floor
        self.n = len(y0)
        self.names = names


def robertson():
    def f(t, y):
        a, b, c = y
        return np.array([-0.04 * a + 1e4 * b * c, 0.04 * a - 1e4 * b * c - 3e7 * b * b, 3e7 * b * b])

    def jac(t, y):
        a, b, c = y
        return np.array([[-0.04, 1e4 * c, 1e4 * b],
                         [0.04, -1e4 * c - 6e7 * b, -1e4 * b],
                         [0.0, 6e7 * b, 0.0]])
    return Problem("robertson", [1.0, 0.0, 0.0], 1e11, f, jac, 1e-8, ["A", "B", "C"])


def hires():
    def f(t, y):
        y1, y2, y3, y4, y5, y6, y7, y8 = y
        return np.array([
            -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007,
            1.71 * y1 - 8.75 * y2,
            -10.03 * y3 + 0.43 * y4 + 0.035 * y5,
            8.32 * y2 + 1.71 * y3 - 1.12 * y4,
            -1.745 * y5 + 0.43 * y6 + 0.43 * y7,
            -280 * y6 * y8 + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7,
            280 * y6 * y8 - 1.81 * y7,
            -280 * y6 * y8 + 1.81 * y7])

    def jac(t, y):
        J = np.zeros((8, 8))
        J[0, 0], J[0, 1], J[0, 2] = -1.71, 0.43, 8.32
        J[1, 0], J[1, 1] = 1.71, -8.75
        J[2, 2], J[2, 3], J[2, 4] = -10.03, 0.43, 0.035
        J[3, 1], J[3, 2], J[3, 3] = 8.32, 1.71, -1.12
        J[4, 4], J[4, 5], J[4, 6] = -1.745, 0.43, 0.43
        J[5, 3], J[5, 4], J[5, 5], J[5, 6], J[5, 7] = 0.69, 1.71, -0.43 - 280 * y[7], 0.69, -280 * y[5]
        J[6, 5], J[6, 6], J[6, 7] = 280 * y[7], -1.81, 280 * y[5]
        J[7, 5], J[7, 6], J[7, 7] = -280 * y[7], 1.81, -280 * y[5]
        return J
    y0 = [1, 0, 0, 0, 0, 0, 0, 0.0057]
    return Problem("hires", y0, 321.8122, f, jac, 1e-5, [f"y{i}" for i in range(1, 9)])


POLLU_SPECIES = ["NO2", "NO", "O3P", "O3", "HO2", "OH", "HCHO", "CO", "ALD", "MEO2", "C2O3", "CO2", "PAN",
                 "CH3O", "HNO3", "O1D", "SO2", "SO4", "NO3", "N2O5"]
# (k, reactants, products) with the IVP Test Set's POLLU rate constants; indices are 1-based y's
POLLU = [
    (0.35, [1], [2, 3]), (26.6, [2, 4], [1]), (1.23e4, [5, 2], [1, 6]), (8.6e-4, [7], [5, 5, 8]),
    (8.2e-4, [7], [8]), (1.5e4, [7, 6], [5, 8]), (1.3e-4, [9], [10, 5, 8]), (2.4e4, [9, 6], [11]),
    (1.65e4, [11, 2], [1, 10, 12]), (9.0e3, [11, 1], [13]), (0.022, [13], [11, 1]),
    (1.2e4, [10, 2], [14, 1]), (1.88, [14], [7, 5]), (1.63e4, [1, 6], [15]), (4.8e6, [3], [4]),
    (3.5e-4, [4], [16]), (0.0175, [4], [3]), (1.0e8, [16], [6, 6]), (4.44e11, [16], [3]),
    (1.24e3, [17, 6], [18, 5]), (2.1, [19], [2]), (5.78, [19], [1, 3]), (0.0474, [1, 4], [19]),
    (1.78e3, [19, 1], [20]), (3.12, [20], [19, 1]),
]


def mass_action(n, reactions):
    """f and a sparse (CSC) analytic Jacobian of a mass-action network given as (k, reactants, products)
    with 0-based indices, vectorised: J = S · D with S the stoichiometry and D = d(rates)/dy."""
    m = len(reactions)
    k = np.array([r[0] for r in reactions])
    a = np.array([r[1][0] for r in reactions])
    b = np.array([r[1][1] if len(r[1]) > 1 else -1 for r in reactions])
    rows, cols, vals = [], [], []
    for j, (_, re, pr) in enumerate(reactions):
        for i in re:
            rows.append(i), cols.append(j), vals.append(-1.0)
        for i in pr:
            rows.append(i), cols.append(j), vals.append(1.0)
    S = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    S.sum_duplicates()
    bi = b >= 0
    # D's pattern: (j, a_j) for every reaction, (j, b_j) for the bimolecular ones
    drow = np.concatenate([np.arange(m), np.arange(m)[bi]])
    dcol = np.concatenate([a, b[bi]])
    bb = np.where(bi, b, 0)

    def rates(y):
        return k * y[a] * np.where(bi, y[bb], 1.0)

    def f(t, y):
        return S @ rates(y)

    def jac(t, y):
        dval = np.concatenate([k * np.where(bi, y[bb], 1.0), (k * y[a])[bi]])
        D = sp.csr_matrix((dval, (drow, dcol)), shape=(m, n))
        return (S @ D).tocsc()
    return f, jac


def pollution():
    y0 = np.zeros(20)
    for name, v in [("NO", 0.2), ("O3", 0.04), ("HCHO", 0.1), ("CO", 0.3), ("ALD", 0.01), ("SO2", 0.007)]:
        y0[POLLU_SPECIES.index(name)] = v
    f, jacs = mass_action(20, [(k, [i - 1 for i in re], [i - 1 for i in pr]) for k, re, pr in POLLU])
    return Problem("pollution", y0, 60.0, f, lambda t, y: jacs(t, y).toarray(), 1e-10, POLLU_SPECIES)


NET_FLOOR = 1e-6


def network(path):
    with open(path) as fh:
        net = json.load(fh)
    f, jac = mass_action(net["n"], [(r["k"], r["reactants"], r["products"]) for r in net["reactions"]])
    return Problem(f"net{net['n']}", net["y0"], net["t1"], f, jac, NET_FLOOR, net["species"])


def reference_csv():
    """{problem: {component: value}} from src/test/resources/stiff/reference.csv."""
    out = {}
    with open(os.path.join(ROOT, "src/test/resources/stiff/reference.csv")) as fh:
        for row in csv.reader(l for l in fh if not l.startswith("#")):
            if row[0] == "model":
                continue
            out.setdefault(row[0], {})[row[2]] = float(row[3])
    return out


def by_name(name, stiff_dir):
    if name == "robertson":
        return robertson()
    if name == "hires":
        return hires()
    if name == "pollution":
        return pollution()
    if name.startswith("net"):
        return network(os.path.join(stiff_dir, f"net_{name[3:]}.json"))
    raise KeyError(name)


def scd(y, ref, floor):
    """Significant correct digits: -log10 of the largest relative error over the reference components
    of magnitude >= floor (ref: array aligned with y)."""
    ref = np.asarray(ref)
    mask = np.abs(ref) >= floor
    err = np.max(np.abs(np.asarray(y)[mask] - ref[mask]) / np.abs(ref[mask]))
    return 16.0 if err == 0 else float(-np.log10(err))
