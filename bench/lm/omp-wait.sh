#!/usr/bin/env bash
# bench/lm/omp-wait.sh: what each way of OpenMP waiting gains and costs (twt.lm.omp-wait-policy and
# twt.lm.omp-spin-count, lm/README.md): the tiny model's training tokens/s (bench/lm's shape, where steps are short
# and waking threads shows most) with threads that sleep at once, that spin briefly first (the default) and that
# spin without end (active), on idle cores and beside BUSY busy loops; and, beside the loops, the CPU those
# neighbours got per wall-clock second, which is what spinning takes from them.
# Usage: [BUSY=12] [ROUNDS=2] [THREADS=2] [LIMIT=150] [SPINS="0 default"] [IDLE=1] bench/lm/omp-wait.sh
# (SPINS: the passive spin counts to try, twt.lm.omp-spin-count, "default" being lm's own; IDLE=0 skips the idle pass)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUSY=${BUSY:-12}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-150}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OUT=bench/lm/results/omp-wait
mkdir -p "$OUT"
if [[ ! -f lm/target/lm-0.1.0-SNAPSHOT.jar || ! -d lm/target/lib ]]; then
  ./mvnw -B -q -pl lm package -DskipTests >&2
fi
CP="lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar"
SETTINGS=()
for spins in ${SPINS:-0 default}; do
  SETTINGS+=("passive,${spins}-spins passive $spins")
done
SETTINGS+=("active active default")
MODEL=(bench/lm/LmBench.java "$OUT/tiny-model" tiny 1024 128 344 4 4 2 true 8 128 12 32 0 0)
"$JAVA" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED -cp "$CP" \
  "${MODEL[@]}" write 2> "$OUT/java.log"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

ticks() { # user + system clock ticks of the given processes
  local total=0 pid
  for pid in "$@"; do
    read -r -a f < "/proc/$pid/stat" && total=$((total + f[13] + f[14]))
  done
  echo "$total"
}

for round in $(seq "$ROUNDS"); do
  loads=("$BUSY"); [[ "${IDLE:-1}" == 0 ]] || loads=(0 "$BUSY")
  for busy in "${loads[@]}"; do
    pids=()
    for _ in $(seq "$busy"); do
      sh -c 'while :; do :; done' & pids+=($!)
    done
    sleep 1
    for setting in "${SETTINGS[@]}"; do
      read -r label policy spins <<<"$setting"
      spin=(); [[ "$spins" == default ]] || spin=(TWT_LM_OMP_SPIN_COUNT="$spins")
      echo "== round $round, $busy busy loops: $label (policy $policy, spins $spins)" >&2
      before=$(ticks "${pids[@]}"); start=$(date +%s.%N)
      figure=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "${spin[@]}" TWT_LM_OMP_WAIT_POLICY="$policy" \
        TWT_LM_KERNEL_CACHE=bench/lm/results/kernels timeout "$LIMIT" "$JAVA" -Dai.djl.offline=true \
        -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$CP" \
        "${MODEL[@]}" train 2> "$OUT/java.log" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["train_tokens_per_s"])' || echo "null")
      after=$(ticks "${pids[@]}")
      python3 -c 'import json, sys, time; round_, busy, label, figure, start, ticks, hz = sys.argv[1:]; wall = time.time() - float(start)
print(json.dumps({"round": int(round_), "busy": int(busy), "setting": label, "train_tokens_per_s": json.loads(figure),
                  "wall_s": round(wall, 1), "neighbour_cpus": int(ticks) / int(hz) / wall}))' \
        "$round" "$busy" "$label" "$figure" "$start" "$((after - before))" "$(getconf CLK_TCK)" | tee -a "$RESULTS" >&2
    done
    ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null
    wait 2>/dev/null || true
  done
done

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" BUSY=$BUSY LIMIT=$LIMIT python3 - "$RESULTS" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"bench/lm/omp-wait.sh  cpu {os.environ['CPU']}, {os.cpu_count()} cores; tiny training tokens/s, best of {max(r['round'] for r in rows)} rounds")
print(f"{'threads waiting':24} {'idle':>9} {'beside ' + os.environ['BUSY'] + ' loops':>16} {'their CPUs':>11}")
for label in dict.fromkeys(r["setting"] for r in rows):
    idle = [r["train_tokens_per_s"] for r in rows if r["setting"] == label and r["busy"] == 0 and r["train_tokens_per_s"]]
    loaded = [r for r in rows if r["setting"] == label and r["busy"] > 0]
    done = [r["train_tokens_per_s"] for r in loaded if r["train_tokens_per_s"]]
    cpus = max(r["neighbour_cpus"] for r in loaded)
    shown = f"{max(done):.0f}" if done else f"none in {os.environ['LIMIT']} s"
    print(f"{label:24} {max(idle, default=float('nan')):9.0f} {shown:>16} {cpus:11.2f}")
PY
