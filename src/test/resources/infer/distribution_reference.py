"""Reference values for DistributionsTest, computed offline with scipy (run: python3 distribution_reference.py).

Prints Java array rows {x, a, b, -logpdf}; paste them into DistributionsTest.
"""
import numpy as np
from scipy import stats, special

cases = {
    "normal": [(0.3, 0.0, 1.0), (-2.5, 1.2, 0.7), (10.0, 3.0, 2.5), (1e-3, 1e-3, 1e-4), (100.0, -5.0, 30.0)],
    "lognormal": [(0.5, 0.0, 1.0), (2.0, 0.3, 0.25), (1e-3, -4.0, 2.0), (50.0, 3.5, 0.8)],
    "laplace": [(0.3, 0.0, 1.0), (-2.5, 1.2, 0.7), (5.0, 5.0, 0.1), (100.0, -5.0, 30.0)],
    "loglaplace": [(0.5, 0.0, 1.0), (2.0, 0.3, 0.25), (1e-3, -4.0, 2.0), (50.0, 3.5, 0.8)],
    "poisson": [(0, 0.5, 0), (3, 2.5, 0), (17, 20.3, 0), (25, 12.0, 0), (150, 140.5, 0), (1000, 950.0, 0)],
    "uniform": [(0.5, 0.0, 1.0), (2.0, -1.0, 7.5), (1e-3, 0.0, 1e-2)],
}


def nll(d, x, a, b):
    if d == "normal":
        return -stats.norm.logpdf(x, loc=a, scale=b)
    if d == "lognormal":
        return -stats.lognorm.logpdf(x, s=b, scale=np.exp(a))
    if d == "laplace":
        return -stats.laplace.logpdf(x, loc=a, scale=b)
    if d == "loglaplace":
        # log x ~ laplace(a, b): scipy's loglaplace with shape c = 1/b and scale exp(a)
        return -stats.loglaplace.logpdf(x, 1.0 / b, scale=np.exp(a))
    if d == "poisson":
        return -stats.poisson.logpmf(x, a)
    if d == "uniform":
        return -stats.uniform.logpdf(x, loc=a, scale=b - a)


for d, rows in cases.items():
    print(d)
    for x, a, b in rows:
        print("      {%r, %r, %r, %r}," % (float(x), a, float(b), float(nll(d, x, a, b))))

print("gammaln")
for x in [0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 7.99, 8.0, 12.25, 100.5, 1e4 + 0.5]:
    print("      {%r, %r}," % (x, float(special.gammaln(x))))
print("digamma")
for x in [0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 7.99, 8.0, 12.25, 100.5, 1e4 + 0.5]:
    print("      {%r, %r}," % (x, float(special.digamma(x))))
