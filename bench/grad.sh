#!/usr/bin/env bash
# Gradient benchmarks: odec grad's methods against the objective alone (Lotka–Volterra, neural-ODE
# models with K = 12 ... 1002 params) and SUNDIALS CVODES adjoint on the Lotka–Volterra gradient.
# Writes bench/target/grad/ and the "Gradients" section of docs/BENCHMARKS.md.
#   bench/grad.sh                 full run (about 4 minutes)
#   BENCH_QUICK=1 bench/grad.sh   short warm-up and few samples, for checking the harness only
# Needs: Java 17, Maven, Python 3; for CVODES: gcc and libsundials-dev (SUNDIALS 6.x), else skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RES="bench/target/grad"
rm -rf "$RES"
mkdir -p "$RES" bench/target/gclasses

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  JOPTS=(--warmup-ms 200 --samples 3 --sample-ms 10); COPTS=(0.2 3 10)
else
  JOPTS=(--warmup-ms 1000 --samples 15 --sample-ms 25); COPTS=(1.0 15 25)
fi
LV_TOLS="1e-6:1e-8,1e-10:1e-12"
NN_TOLS="1e-6:1e-8"
NN_H="2 4 8 20 200"
# The point where the gradient is taken (the data come from the model's defaults
# alpha=1.5, beta=1, delta=3, gamma=1, sigma=0.1).
LV_AT="alpha=1.4,beta=1.1,delta=2.9,gamma=0.9,sigma=0.12"

echo "== building odec (./odec builds on first use)" >&2
./odec check examples/lotka_volterra.ode >&2
CP="target/odec.jar"
for j in target/lib/*.jar; do CP="$CP:$j"; done
rm -rf bench/target/gclasses && mkdir -p bench/target/gclasses
javac -d bench/target/gclasses -cp "$CP" bench/java/dev/odec/bench/GradBench.java
JAVA=(java -XX:+UseSerialGC -Xss16m -Dodec.stdlib="$ROOT/stdlib" -cp "bench/target/gclasses:$CP" dev.odec.bench.GradBench)

echo "== data" >&2
"${JAVA[@]}" gen examples/lotka_volterra.ode "$RES/lv_data.csv" --t1 10 --points 101 --sigma 0.1 --noise-seed 42
bench/grad/gen_nn.sh $NN_H
for H in $NN_H; do
  "${JAVA[@]}" gen "bench/grad/models/nn_h$H.ode" "$RES/nn_h${H}_data.csv" --t1 5 --points 41 --sigma 0.1 --noise-seed 7 --pseed 1
done

echo "== odec: Lotka–Volterra" >&2
"${JAVA[@]}" run examples/lotka_volterra.ode "$RES/lv_data.csv" lv "$RES" --solver dopri5 --tols "$LV_TOLS" \
  --set "$LV_AT" "${JOPTS[@]}"
echo "== odec: neural-ODE models" >&2
for H in $NN_H; do
  "${JAVA[@]}" run "bench/grad/models/nn_h$H.ode" "$RES/nn_h${H}_data.csv" "nn_h$H" "$RES" --solver dopri5 \
    --tols "$NN_TOLS" --pseed 1 --perturb 0.05 "${JOPTS[@]}"
done

echo "== CVODES" >&2
if bench/cvodes/build.sh; then
  printf 'method\trtol\tatol\tmedian_s\tmin_s\tsamples\treps\tobjective\talpha\tbeta\tdelta\tgamma\tsigma\tnfe_forward_pass\tnfe_forward_total\tnfe_backward\tnfe_quad_backward\tsteps_forward\tsteps_backward\n' > "$RES/cvodes.tsv"
  for tol in ${LV_TOLS//,/ }; do
    for m in adams bdf; do
      bench/target/cvodes/lv_cvodes "$RES/lv_data.csv" "${tol%%:*}" "${tol##*:}" "$m" "${COPTS[@]}" \
        $(echo "$LV_AT" | sed 's/[a-z]*=//g; s/,/ /g') | tee -a "$RES/cvodes.tsv" >&2
    done
  done
  dpkg-query -W -f='${Version}' libsundials-dev > "$RES/sundials_version.txt" 2>/dev/null || echo unknown > "$RES/sundials_version.txt"
else
  echo "CVODES harness not built (libsundials-dev missing?): skipped" >&2
fi

{
  echo "odec: \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)'), JVM backend"
  echo "Java flags: -XX:+UseSerialGC -Xss16m; harness options: ${JOPTS[*]}"
  echo "CVODES harness: warm-up ${COPTS[0]} s, ${COPTS[1]} samples of about ${COPTS[2]} ms"
} > "$RES/versions.txt"
echo "$LV_AT" > "$RES/lv_at.txt"
python3 bench/grad_report.py "$RES" docs/BENCHMARKS.md
echo "== wrote the Gradients section of docs/BENCHMARKS.md" >&2
