#!/usr/bin/env bash
# bench/lm/service-path.sh: the student's work on the paths the services run, against the bench's own loops (issue 20).
#  1) training: a round's stage as trainer-service's lm backend runs it (StageRun: tokenization, checkpoints every
#     20 steps, a progress line every 10, the weights and result.json saved) against SftTrainer.trainTokenized on the
#     same examples tokenized beforehand (bench/lm/LmBench.java's loop), for the tiny and the lab base shapes;
#  2) generation: eval-service's path (./twt eval: VersionEvaluator over lab math and mcq eval queries, batches of 8,
#     the KV cache, its caps and stop strings) against ./twt lm generate --batch 8 on the same rendered prompts with
#     the same decoding (greedy, top-p 0.95, the student prompt's stop strings).
# Rounds alternate the two sides (ROUNDS, default 3); training keeps each side's best, generation the median round's
# rate (its differences are a few seconds, so one round's noise must not carry it); generation is timed on half the
# prompts and on all, and rated on the difference, so each command's start and model load cancel out. The default path a user gets:
# kernels and OpenMP waiting as NativeKernels decides them.
# Usage: [ROUNDS=3] [QUERIES=48] [NEW_TOKENS=48] bench/lm/service-path.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
QUERIES=${QUERIES:-48}
NEW_TOKENS=${NEW_TOKENS:-48}
OUT=bench/lm/results/service-path
rm -rf "$OUT"
mkdir -p "$OUT"
source bin/jdk.sh
JAVA="$JAVA_HOME/bin/java"
V=0.1.0-SNAPSHOT
if [[ ! -f lm/target/lm-$V.jar || ! -f lab/target/lab-$V.jar || ! -f eval-service/target/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -q -pl lm,lab,eval-service -am package -DskipTests >&2
fi
LM_CP="lm/target/lib/*:lm/target/lm-$V.jar"
RUN=(-Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED)

echo "== training: the stage path vs the bench loop" >&2
for shape in tiny lab-base; do
  "$JAVA" "${RUN[@]}" -cp "$LM_CP" bench/lm/ServicePath.java "$OUT/train-$shape" "$shape" 8 128 24 "$ROUNDS" \
    2> "$OUT/train-$shape.log" | tee -a "$OUT/train.jsonl" >&2
done

echo "== generation: eval-service's path vs lm generate" >&2
model="$OUT/train-lab-base/model"
for kind in math mcq; do
  "$JAVA" -cp "lab/target/lib/*:lab/target/lab-$V.jar" io.twt.lab.LabTasks --kind "$kind" --split eval \
    --count $((QUERIES / 2)) --seed 7 >> "$OUT/queries.jsonl"
done
"$JAVA" -cp "eval-service/target/quarkus-app/lib/main/*" bench/lm/EvalPrompts.java "$OUT/queries.jsonl" "$OUT/prompts.jsonl"
: > "$OUT/generation.jsonl"
# each side twice per round, on half the prompts and on all: the difference is generation alone (the JVM start,
# model load and, for eval, scoring cancel out)
for round in $(seq "$ROUNDS"); do
  for count in $((QUERIES / 2)) "$QUERIES"; do
    started=$(date +%s.%N)
    "$JAVA" "${RUN[@]}" -cp "eval-service/target/quarkus-app/lib/main/*:eval-service/target/quarkus-app/app/*" \
      io.twt.eval.cli.EvalCli --dataset "$OUT/queries.jsonl" --format queries --model "$model" --limit "$count" \
      --max-new-tokens "$NEW_TOKENS" --batch-size 8 --out "$OUT/eval.json" 2> "$OUT/eval.log"
    ended=$(date +%s.%N)
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); t=t if isinstance(t, list) else [t]; print(json.dumps({"side": "eval", "round": int(sys.argv[4]), "tokens": sum(e["outputTokens"] for k in t for e in k["examples"]), "seconds": float(sys.argv[3]) - float(sys.argv[2])}))' \
      "$OUT/eval.json" "$started" "$ended" "$round" >> "$OUT/generation.jsonl"
    head -n "$count" "$OUT/prompts.jsonl" > "$OUT/prompts-$count.jsonl"
    started=$(date +%s.%N)
    "$JAVA" "${RUN[@]}" -cp "$LM_CP" io.twt.lm.cli.LmCli generate --model "$model" --prompts "$OUT/prompts-$count.jsonl" \
      --max-new-tokens "$NEW_TOKENS" --batch 8 --temperature 0 --top-p 0.95 --stop $'\nTask: ' --stop $'\nQuestion: ' \
      --stop $'\nProblem: ' > "$OUT/generate.jsonl" 2> "$OUT/generate.log"
    ended=$(date +%s.%N)
    python3 -c 'import json,sys; t=sum(json.loads(l)["outputTokens"] for l in open(sys.argv[1])); print(json.dumps({"side": "lm generate", "round": int(sys.argv[4]), "tokens": t, "seconds": float(sys.argv[3]) - float(sys.argv[2])}))' \
      "$OUT/generate.jsonl" "$started" "$ended" "$round" >> "$OUT/generation.jsonl"
  done
done

python3 - "$OUT/train.jsonl" "$OUT/generation.jsonl" <<'PY'
import json, sys
print(f"bench/lm/service-path.sh, load average {open('/proc/loadavg').read().split()[0]}")
for r in map(json.loads, open(sys.argv[1])):
    print(f"training {r['shape']:8} B{r['batch']} x T{r['seq']}, {r['steps']} steps, {r['tokens']} tokens:"
          f" stage path {r['stage_tokens_per_s']:.0f} tokens/s, bench loop {r['loop_tokens_per_s']:.0f}:"
          f" {r['stage_tokens_per_s'] / r['loop_tokens_per_s']:.2f}x"
          f" (wall with load and save: {r['stage_wall_tokens_per_s']:.0f} vs {r['loop_wall_tokens_per_s']:.0f},"
          f" {r['stage_wall_tokens_per_s'] / r['loop_wall_tokens_per_s']:.2f}x)")
rows = [json.loads(l) for l in open(sys.argv[2])]
rates = {}
for side in ("eval", "lm generate"):
    for rnd in sorted({r["round"] for r in rows}):
        half, full = sorted((r for r in rows if r["side"] == side and r["round"] == rnd), key=lambda r: r["tokens"])
        extra = full["seconds"] - half["seconds"]
        line = f"  round {rnd} {side:11}: {half['tokens']} tokens in {half['seconds']:.1f} s, {full['tokens']} in {full['seconds']:.1f} s: "
        if extra <= 0.2 * full["seconds"]:
            print(line + "discarded (the machine's load moved more than the work did)")
            continue
        rate = (full["tokens"] - half["tokens"]) / extra
        rates.setdefault(side, []).append(rate)
        print(line + f"{rate:.1f} tokens/s of generation")
if len(rates) < 2:
    sys.exit("generation: no usable round on one side; run again on a quieter machine or with more ROUNDS")
median = {side: sorted(r)[len(r) // 2] for side, r in rates.items()}
print(f"generation (lab base shape, batches of 8, the KV cache; the second half's tokens over its extra seconds, median round):"
      f" eval path {median['eval']:.1f} tokens/s, lm generate {median['lm generate']:.1f}: {median['eval'] / median['lm generate']:.2f}x")
PY
