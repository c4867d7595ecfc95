#!/usr/bin/env bash
# The learning claim over several seeds: runs `./twt demo --seed S` once per seed (default 7 2 3: the demo's own
# seed first), keeps each run's results rows, and prints every row's spread (mean, min, max) and, per task kind,
# whether the claim holds on every seed (issue 22: stage 3 >= 50%, >= 30 points above vanilla and chance, no more
# than 3 points below stage 1; mean output tokens at stage 3 <= 20% of stage 1). A benchmark, not a test: it takes
# ~20 min a seed.
#
#   bench/demo/seeds.sh [SEED ...]          results in bench/demo/out/seed-S.json
#   bench/demo/seeds.sh --summary-only      prints the summary of the runs already in bench/demo/out
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/demo/out
mkdir -p "$out"
if [[ "${1:-}" != "--summary-only" ]]; then
  seeds=("$@")
  (( ${#seeds[@]} )) || seeds=(7 2 3)
  for s in "${seeds[@]}"; do
    echo "=== seed $s ($(date +%T))"
    started=$SECONDS
    ./twt demo --seed "$s" | tee "$out/seed-$s.log"
    cp .twt/demo/results.json "$out/seed-$s.json"
    echo "=== seed $s done in $((SECONDS - started)) s"
  done
fi
exec python3 bench/demo/summary.py "$out"/seed-*.json
