#!/usr/bin/env bash
# How many distilled lab math queries does an answer-only stage need? Trains a model (by default the demo's round-1
# stage-2 student, the model stage 3 starts from) on N lab math queries answer only, as stage 3 trains, for each N,
# and scores each on 200 eval-split queries the student never saw (eval-service's split, seed 7), with the chance
# row (always the most frequent gold answer) beside them. The gold answer stands in for a teacher-agreed one, so the
# curve shows what more distilled queries would buy, not what the teachers' mistakes cost.
# Usage: [EPOCHS=3] [LR=1e-3] bench/learning/answer-only.sh [FROM_MODEL_DIR] [N...]
set -euo pipefail
cd "$(dirname "$0")/../.."
FROM=${1:-.twt/demo/models/rounds/round-1/stage-2/model}
shift || true
SIZES=("${@:-150 500 1000 3000}")
[[ -f "$FROM/config.json" ]] || { echo "no model in $FROM (run ./twt demo first, or name a model dir)" >&2; exit 2; }
OUT=bench/learning/results/answer-only
mkdir -p "$OUT"
source bin/jdk.sh
if [[ ! -f lab/target/lab-0.1.0-SNAPSHOT.jar || ! -d lab/target/lib ]]; then
  ./mvnw -B -q -o -pl lab -am package -DskipTests >&2
fi
SET=("$JAVA_HOME/bin/java" -cp 'lab/target/lib/*:lab/target/lab-0.1.0-SNAPSHOT.jar' bench/learning/AnswerOnlySet.java)
"${SET[@]}" eval 200 7 > "$OUT/eval.jsonl"
"${SET[@]}" train 3000 11 > "$OUT/train-all.jsonl"
for n in ${SIZES[@]}; do
  head -n "$n" "$OUT/train-all.jsonl" > "$OUT/train-$n.jsonl"
  rm -rf "$OUT/model-$n"
  echo "== $n queries, ${EPOCHS:-3} epochs at lr ${LR:-1e-3}, from $FROM" >&2
  ./twt lm train --model "$FROM" --data "$OUT/train-$n.jsonl" --out "$OUT/model-$n" --full --epochs "${EPOCHS:-3}" \
    --lr "${LR:-1e-3}" --batch 8 --max-length 512 --merge > "$OUT/train-$n.log" 2>&1
  ./twt lm generate --model "$OUT/model-$n" --prompts "$OUT/eval.jsonl" --max-new-tokens 16 --temperature 0 \
    --batch 20 --stop $'\nProblem: ' > "$OUT/generated-$n.jsonl" 2>/dev/null
done
python3 bench/learning/answer_only_table.py "$OUT" ${SIZES[@]}
