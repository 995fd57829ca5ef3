#!/usr/bin/env bash
# Writes bench/grad/models/nn_hH.ode: a neural-ODE-style model with 5H + 2 params,
#   d(z)/dt = W2 @ tanh(W1 @ z + b1) + b2,  z: real[2],  observed with normal noise.
# W2's prior scale is 1/sqrt(H) so the vector field has the same size for every H.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/models"
mkdir -p "$DIR"
for H in "$@"; do
  S=$(python3 -c "print(repr(1/($H**0.5)))")
  cat > "$DIR/nn_h$H.ode" <<ODE
# Neural-ODE-style benchmark model: H = $H hidden units, 5H + 2 = $((5*H+2)) params (bench/grad/gen_nn.sh)
model nn_h$H
const H = $H
param W1: real[H, 2] ~ normal(0, 1)
param b1: real[H] ~ normal(0, 0.5)
param W2: real[2, H] ~ normal(0, $S)
param b2: real[2] ~ normal(0, 0.1)
state z: real[2] = [1, 0]
d(z)/dt = W2 @ tanh(W1 @ z + b1) + b2
observe z_obs ~ normal(z, 0.1)
ODE
done
