#!/usr/bin/env bash
# bench/learning: can the lab base's shape (ModelShape.labBase(), ~1.8M parameters) learn a skill from scratch in the
# steps the 2-core budget buys? Trains a random model of that shape on one probe task (make_probe.py) with the lm
# trainer and, with TORCH=1, the same model from the same weights with plain PyTorch; prints loss curves and the
# held-out accuracy. Usage: [STEPS=1000] [BATCH=32] [LR=3e-3] [TORCH=0] bench/learning/run.sh TASK
set -euo pipefail
cd "$(dirname "$0")/../.."
TASK=${1:?usage: bench/learning/run.sh lookup2|lookup1|lookup2-copy|mqar|copy-fixed|copy-var|order|order-name|expr|sum3|word3|max2|maxe}
STEPS=${STEPS:-1000}
BATCH=${BATCH:-32}
LR=${LR:-3e-3}
OUT=bench/learning/results/$TASK
mkdir -p "$OUT"
source bin/jdk.sh
if [[ ! -f lm/target/lm-0.1.0-SNAPSHOT.jar || ! -d lm/target/lib ]]; then
  ./mvnw -B -q -pl lm -am package -DskipTests >&2
fi
python3 bench/learning/make_probe.py "$TASK" "$OUT" $(( STEPS * BATCH > 32000 ? STEPS * BATCH : 32000 )) 500 1
JAVA=("$JAVA_HOME/bin/java" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error
      --enable-native-access=ALL-UNNAMED -cp 'lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar' bench/learning/LmProbe.java)
rm -rf "$OUT/model"
"${JAVA[@]}" "$OUT/model" "$OUT" "$STEPS" "$BATCH" "$LR" make
echo "== lm ($TASK, $STEPS steps of $BATCH, lr $LR)"
"${JAVA[@]}" "$OUT/model" "$OUT" "$STEPS" "$BATCH" "$LR" | tee "$OUT/lm.log"
if [[ "${TORCH:-0}" == 1 ]]; then
  source bin/debs.sh
  twt_need_debs python3-torch libopenblas0-openmp
  echo "== torch ($TASK)"
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/learning/torch_probe.py "$OUT/model" "$OUT" "$STEPS" "$BATCH" "$LR" \
    | tee "$OUT/torch.log"
fi
