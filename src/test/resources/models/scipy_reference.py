"""Independent reference solutions for the hand translations fujita.ode and boehm.ode.

The equations are typed in again here from the SBML files of the PEtab problems
Fujita_SciSignal2010 and Boehm_JProteomeRes2014 (not from the .ode files), with
the nominal values of their parameter tables, and solved with scipy's Radau at
rtol 1e-12, checked against LSODA at the same tolerance (the largest relative
difference between the two is printed as a comment). Writes scipy_reference.csv:
model,condition,time,state,value. Run: python3 scipy_reference.py > scipy_reference.csv
"""
import numpy as np
from scipy.integrate import solve_ivp

FUJITA = dict(
    EGFR_turnover=0.001479614562719, init_AKT=0.026930923029049,
    init_EGFR=37536153.8059105, init_S6=188.063148677911,
    reaction_1_k1=0.003690766129111, reaction_1_k2=0.002301175486005,
    reaction_2_k1=0.000936500808211, reaction_2_k2=60965.2066642586,
    reaction_3_k1=0.433225051651771, reaction_4_k1=0.030155177423024,
    reaction_5_k1=3.27310803801897E-06, reaction_5_k2=0.000398546299782,
    reaction_6_k1=5.46319692934546E-06, reaction_7_k1=0.011803208311735,
    reaction_8_k1=0.000944761775113, reaction_9_k1=0.028510798479438)
FUJITA_STATES = ["EGFR", "pEGFR", "pEGFR_Akt", "Akt", "pAkt", "S6", "pAkt_S6", "pS6", "EGF_EGFR"]
# condition id -> (EGF_0, EGF_rate, EGF_end), from experimentalCondition_Fujita_SciSignal2010.tsv
FUJITA_CONDITIONS = {
    "step_00_1": (0.1, 0.0, 3600.0),
    "step_30_0": (30.0, 0.0, 3600.0),
    "pulse_10_0": (10.0, 0.0, 60.0),
    "ramp_8_3e-3": (0.0, 0.008333333333333333, 3600.0),
}
FUJITA_TIMES = [60.0, 300.0, 900.0, 3600.0]


def fujita_rhs(t, x, egf0, rate, end):
    P = FUJITA
    EGFR, pEGFR, pEGFR_Akt, Akt, pAkt, S6, pAkt_S6, pS6, EGF_EGFR = x
    egf = rate * t + egf0 if t <= end else 0.0
    v1 = egf * EGFR * P["reaction_1_k1"] - EGF_EGFR * P["reaction_1_k2"]
    v2 = Akt * pEGFR * P["reaction_2_k1"] - pEGFR_Akt * P["reaction_2_k2"]
    v3 = pEGFR_Akt * P["reaction_3_k1"]
    v4 = pEGFR * P["reaction_4_k1"]
    v5 = S6 * pAkt * P["reaction_5_k1"] - pAkt_S6 * P["reaction_5_k2"]
    v6 = pAkt_S6 * P["reaction_6_k1"]
    v7 = pAkt * P["reaction_7_k1"]
    v8 = pS6 * P["reaction_8_k1"]
    v9 = EGF_EGFR * P["reaction_9_k1"]
    v10 = EGFR * P["EGFR_turnover"]
    v11 = 68190 * P["EGFR_turnover"]
    return [
        -v1 - v10 + v11,          # EGFR
        -v2 + v3 - v4 + v9,       # pEGFR
        v2 - v3,                  # pEGFR_Akt
        -v2 + v7,                 # Akt
        v3 - v5 + v6 - v7,        # pAkt
        -v5 + v8,                 # S6
        v5 - v6,                  # pAkt_S6
        v6 - v8,                  # pS6
        v1 - v9,                  # EGF_EGFR
    ]


def fujita_x0():
    x = np.zeros(9)
    x[0] = FUJITA["init_EGFR"]
    x[3] = FUJITA["init_AKT"]
    x[5] = FUJITA["init_S6"]
    return x


BOEHM = dict(
    Epo_degradation_BaF3=0.026982514033029, k_exp_hetero=1.00067973851508E-05,
    k_exp_homo=0.006170228086381, k_imp_hetero=0.0163679184468,
    k_imp_homo=97749.3794024716, k_phos=15766.5070195731, ratio=0.693)
BOEHM_STATES = ["STAT5A", "STAT5B", "pApB", "pApA", "pBpB", "nucpApA", "nucpApB", "nucpBpB"]
BOEHM_TIMES = [2.5, 20.0, 100.0, 240.0]
CYT, NUC = 1.4, 0.45


def boehm_rhs(t, x):
    P = BOEHM
    STAT5A, STAT5B, pApB, pApA, pBpB, nucpApA, nucpApB, nucpBpB = x
    epo = 1.25e-7 * np.exp(-P["Epo_degradation_BaF3"] * t)
    # SBML kinetic laws: amounts per time (they include their compartment's volume)
    v = [CYT * epo * STAT5A ** 2 * P["k_phos"],
         CYT * epo * STAT5A * STAT5B * P["k_phos"],
         CYT * epo * STAT5B ** 2 * P["k_phos"],
         CYT * P["k_imp_homo"] * pApA,
         CYT * P["k_imp_hetero"] * pApB,
         CYT * P["k_imp_homo"] * pBpB,
         NUC * P["k_exp_homo"] * nucpApA,
         NUC * P["k_exp_hetero"] * nucpApB,
         NUC * P["k_exp_homo"] * nucpBpB]
    # stoichiometry (species x reaction) and the species' compartments
    S = np.array([
        [-2, -1, 0, 0, 0, 0, 2, 1, 0],    # STAT5A (cyt)
        [0, -1, -2, 0, 0, 0, 0, 1, 2],    # STAT5B (cyt)
        [0, 1, 0, 0, -1, 0, 0, 0, 0],     # pApB (cyt)
        [1, 0, 0, -1, 0, 0, 0, 0, 0],     # pApA (cyt)
        [0, 0, 1, 0, 0, -1, 0, 0, 0],     # pBpB (cyt)
        [0, 0, 0, 1, 0, 0, -1, 0, 0],     # nucpApA (nuc)
        [0, 0, 0, 0, 1, 0, 0, -1, 0],     # nucpApB (nuc)
        [0, 0, 0, 0, 0, 1, 0, 0, -1],     # nucpBpB (nuc)
    ], dtype=float)
    vol = np.array([CYT] * 5 + [NUC] * 3)
    return S @ np.array(v) / vol


def boehm_x0():
    x = np.zeros(8)
    x[0] = 207.6 * BOEHM["ratio"]
    x[1] = 207.6 - 207.6 * BOEHM["ratio"]
    return x


def solve(rhs, x0, times, method, breaks=()):
    """The states at the times, each from its own solve from t = 0 that stops at the
    breakpoints before it (where the input jumps). Separate solves rather than one restarted
    at every output time: LSODA restarted at a steady state at rtol 1e-12 stalls."""
    out = {}
    for stop in times:
        t, x = 0.0, np.array(x0, float)
        for end in sorted(b for b in breaks if b < stop) + [stop]:
            sol = solve_ivp(rhs, (t, end), x, method=method, rtol=1e-12, atol=1e-14)
            assert sol.success, sol.message
            t, x = end, sol.y[:, -1]
        out[stop] = x.copy()
    return out


def main():
    print("model,condition,time,state,value")
    worst = 0.0
    cases = []
    for cond, (egf0, rate, end) in FUJITA_CONDITIONS.items():
        rhs = lambda t, x, a=egf0, b=rate, c=end: fujita_rhs(t, x, a, b, c)
        breaks = [end] if end < FUJITA_TIMES[-1] else []
        cases.append(("fujita", cond, rhs, fujita_x0(), FUJITA_TIMES, FUJITA_STATES, breaks))
    cases.append(("boehm", "model1_data1", boehm_rhs, boehm_x0(), BOEHM_TIMES, BOEHM_STATES, []))
    for model, cond, rhs, x0, times, names, breaks in cases:
        radau = solve(rhs, x0, times, "Radau", breaks)
        lsoda = solve(rhs, x0, times, "LSODA", breaks)
        for t in times:
            for i, name in enumerate(names):
                a, b = radau[t][i], lsoda[t][i]
                if abs(a) > 1e-10:
                    worst = max(worst, abs(a - b) / abs(a))
                print(f"{model},{cond},{t:g},{name},{a:.15e}")
    print(f"# largest relative difference Radau vs LSODA over values above 1e-10: {worst:.2e}")


if __name__ == "__main__":
    main()
