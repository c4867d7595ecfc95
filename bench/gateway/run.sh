#!/usr/bin/env bash
# bench/gateway: teacher-gateway against the lab teachers at a fixed latency (default 500 ms, no faults).
# Prints the sustained call rate as a ratio of the bound teachers x max-concurrency / latency (aim >= 0.95),
# and the share of right answers among all teacher outputs vs among those with c >= 0.95.
# Usage: bench/gateway/run.sh [--concurrency 16] [--latency-ms 500] [--per-kind 400]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
CONCURRENCY=16
LATENCY_MS=500
PER_KIND=400
while [ $# -gt 0 ]; do
  case "$1" in
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --latency-ms) LATENCY_MS=$2; shift 2 ;;
    --per-kind) PER_KIND=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -f teacher-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f lab/target/lab-0.1.0-SNAPSHOT.jar ] \
   || [ ! -d kafka-local/target/lib ] || [ ! -f kafka-edge/target/kafka-edge-0.1.0-SNAPSHOT.jar ]; then
  ./mvnw -B -q -pl kafka-local,kafka-edge,lab,teacher-gateway -am package -DskipTests
fi

WORK=$(mktemp -d /tmp/twt-bench-gateway.XXXXXX)
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
await() {  # await DESCRIPTION SECONDS COMMAND...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$what did not come up within ${seconds}s; logs in $WORK" >&2; exit 1
}

"$JAVA" -cp 'kafka-local/target/lib/*:kafka-local/target/kafka-local-0.1.0-SNAPSHOT.jar' io.twt.kafka.LocalKafkaMain \
  --data-dir "$WORK/kafka" --bootstrap-file "$WORK/bootstrap" >"$WORK/kafka.log" 2>&1 &
PIDS+=($!)
await "Kafka" 90 test -s "$WORK/bootstrap"
BOOTSTRAP=$(cat "$WORK/bootstrap")

LAB_PORT=$(free_port)
"$JAVA" -cp 'lab/target/lib/*:lab/target/lab-0.1.0-SNAPSHOT.jar' io.twt.lab.teacher.LabTeacherServer \
  --port "$LAB_PORT" --latency-ms "$LATENCY_MS" >"$WORK/lab.log" 2>&1 &
PIDS+=($!)
await "lab teachers" 30 curl -sf "http://127.0.0.1:$LAB_PORT/v1/models"

GATEWAY_PORT=$(free_port)
"$JAVA" -Dkafka.bootstrap.servers="$BOOTSTRAP" -Dquarkus.http.port="$GATEWAY_PORT" \
  -Dtwt.gateway.lab-url="http://127.0.0.1:$LAB_PORT/v1" -Dtwt.gateway.lab-max-concurrency="$CONCURRENCY" \
  -jar teacher-gateway/target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
await "teacher-gateway" 90 curl -sf "http://127.0.0.1:$GATEWAY_PORT/q/health/ready"

echo "bench/gateway: 3 lab teachers at ${LATENCY_MS} ms, max-concurrency ${CONCURRENCY} each; $(nproc) cores"
# the bench's own Kafka clients log at WARN so that its figures stay readable
"$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp 'kafka-local/target/lib/*:kafka-edge/target/kafka-edge-0.1.0-SNAPSHOT.jar:lab/target/lib/*:lab/target/lab-0.1.0-SNAPSHOT.jar' bench/gateway/GatewayBench.java \
  "$BOOTSTRAP" 3 "$CONCURRENCY" "$LATENCY_MS" "$PER_KIND" "$WORK/code-checks.json"
curl -s "http://127.0.0.1:$GATEWAY_PORT/q/metrics" | grep -E '^twt_gateway_(tokens_total|calls_total)' | sort
