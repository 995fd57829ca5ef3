#!/usr/bin/env python3
"""A PEtab problem around a large SBML reaction network, for bench/petab.sh: N species in two
compartments, M mass-action reactions (A -> B, A + B -> C, A -> B + C, chosen with a fixed seed),
one observable (the sum of the first ten species) measured at 5 times, one estimated rate constant
per reaction. Usage: gen_sbml_network.py DIR [N M]."""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
m = int(sys.argv[3]) if len(sys.argv) > 3 else 800
rng = random.Random(7)
os.makedirs(out, exist_ok=True)
sp = [f"S{i}" for i in range(n)]
lines = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">',
         f'<model id="network_{n}_{m}">',
         '<listOfCompartments><compartment id="cyt" size="1.5" constant="true" spatialDimensions="3"/>'
         '<compartment id="nuc" size="0.5" constant="true" spatialDimensions="3"/></listOfCompartments>',
         '<listOfSpecies>']
for i, s in enumerate(sp):
    comp = "cyt" if i % 3 else "nuc"
    lines.append(f'<species id="{s}" compartment="{comp}" initialConcentration="{1.0 if i < n // 10 else 0.0}" '
                 'hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>')
lines.append('</listOfSpecies><listOfParameters>')
for j in range(m):
    lines.append(f'<parameter id="k{j}" value="{rng.uniform(0.1, 2.0):.4f}" constant="true"/>')
lines.append('</listOfParameters><listOfReactions>')
mml = 'xmlns="http://www.w3.org/1998/Math/MathML"'
for j in range(m):
    kind = j % 3
    a, b, c = rng.sample(sp, 3)
    reac = [a] if kind != 1 else [a, b]
    prod = [b] if kind == 0 else ([c] if kind == 1 else [b, c])
    comp_of = lambda s: "cyt" if int(s[1:]) % 3 else "nuc"
    law = "".join(f"<ci>{x}</ci>" for x in reac)
    lines.append(f'<reaction id="r{j}" reversible="false"><listOfReactants>'
                 + "".join(f'<speciesReference species="{x}" stoichiometry="1" constant="true"/>' for x in reac)
                 + '</listOfReactants><listOfProducts>'
                 + "".join(f'<speciesReference species="{x}" stoichiometry="1" constant="true"/>' for x in prod)
                 + f'</listOfProducts><kineticLaw><math {mml}><apply><times/><ci>{comp_of(a)}</ci><ci>k{j}</ci>{law}'
                 '</apply></math></kineticLaw></reaction>')
lines.append('</listOfReactions></model></sbml>')
open(os.path.join(out, "model.xml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(out, "problem.yaml"), "w").write(
    "format_version: 1\nparameter_file: parameters.tsv\nproblems:\n- condition_files: [conditions.tsv]\n"
    "  measurement_files: [measurements.tsv]\n  observable_files: [observables.tsv]\n  sbml_files: [model.xml]\n")
open(os.path.join(out, "conditions.tsv"), "w").write("conditionId\nc1\n")
open(os.path.join(out, "observables.tsv"), "w").write(
    "observableId\tobservableFormula\tnoiseFormula\ny\t" + " + ".join(sp[:10]) + "\t0.1\n")
with open(os.path.join(out, "measurements.tsv"), "w") as f:
    f.write("observableId\tsimulationConditionId\tmeasurement\ttime\n")
    for t, v in [(0.5, 9.0), (1, 8.0), (2, 7.0), (5, 6.0), (10, 5.0)]:
        f.write(f"y\tc1\t{v}\t{t}\n")
with open(os.path.join(out, "parameters.tsv"), "w") as f:
    f.write("parameterId\tparameterScale\tlowerBound\tupperBound\tnominalValue\testimate\n")
    for j in range(m):
        f.write(f"k{j}\tlog10\t0.001\t100\t{rng.uniform(0.1, 2.0):.4f}\t1\n")
