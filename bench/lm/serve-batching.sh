#!/usr/bin/env bash
# lm serve's static batching: 8 concurrent greedy requests (64 tokens each) with --max-batch 1 (one request per
# batch) and --max-batch 8, alternating ROUNDS times on a tiny model made here; prints each wall time and the ratio.
#   bench/lm/serve-batching.sh [ROUNDS]      (needs ./mvnw -pl lm -am package first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
J="$JAVA_HOME/bin/java"; CP="$ROOT/lm/target/lib/*:$ROOT/lm/target/lm-0.1.0-SNAPSHOT.jar"
ROUNDS="${1:-2}"; WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
for i in $(seq 1 40); do
  echo "{\"prompt\": \"Problem: what is $i plus 1?\nSolution:\n\", \"completion\": \"It is $((i + 1)).\n#### $((i + 1))\"}"
done > "$WORK/data.jsonl"
"$J" -cp "$CP" io.twt.lm.cli.LmCli init --out "$WORK/base" --corpus "$WORK/data.jsonl" 2>/dev/null >/dev/null
"$J" -cp "$CP" io.twt.lm.cli.LmCli train --model "$WORK/base" --data "$WORK/data.jsonl" --out "$WORK/adapter" --epochs 2 \
  --lr 1e-2 --batch 8 2>/dev/null >/dev/null

run() { # max-batch -> wall seconds of 8 concurrent requests
  local batch="$1" out="$WORK/serve-$1.out"
  "$J" -cp "$CP" io.twt.lm.cli.LmCli serve --model "$WORK/base" --adapter a=$WORK/adapter --port 0 --max-batch "$batch" \
    --threads 2 > "$out" 2>/dev/null &
  local pid=$! url="" i
  for i in $(seq 1 120); do url="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$out")"; [[ -n "$url" ]] && break; sleep 0.5; done
  curl -s "$url/completions" -d '{"model":"a","prompt":"warm up","max_tokens":8,"temperature":0}' >/dev/null
  local start; start=$(date +%s.%N); local curls=()
  for i in $(seq 1 8); do
    curl -s "$url/completions" -o "$WORK/r$batch-$i.json" \
      -d "{\"model\":\"a\",\"prompt\":\"Problem: what is $i plus 1?\\nSolution:\\n\",\"max_tokens\":64,\"temperature\":0}" &
    curls+=($!)
  done
  wait "${curls[@]}"
  echo "$(date +%s.%N) - $start" | bc
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for r in $(seq 1 "$ROUNDS"); do
  one=$(run 1); eight=$(run 8)
  printf 'round %d: --max-batch 1 %.2f s, --max-batch 8 %.2f s, ratio %.2f; same texts: %s\n' "$r" "$one" "$eight" \
    "$(echo "$one / $eight" | bc -l)" \
    "$(cmp -s <(cat "$WORK"/r1-*.json | grep -o '"text":"[^"]*"') <(cat "$WORK"/r8-*.json | grep -o '"text":"[^"]*"') && echo yes || echo no)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
