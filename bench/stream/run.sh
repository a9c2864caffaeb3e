#!/usr/bin/env bash
# bench/stream/run.sh — end-to-end latency of the speed layer (Kafka → StreamJob → pins_stream).
#
# Starts a fresh local stack on free ports and the stream job as ./pinpipe up does (java +
# target/classpath.txt), then runs the bench module's StreamBench: produce pins straight to Kafka
# (acks=all, as the ingest API publishes), measure acknowledgement → row visible in pins_stream. Prints a table.
#
#   bench/stream/run.sh                          # 1000 and 5000 pins/s, then a ramp for the max rate
#   STEP_SECONDS=60 RATES=1000,5000 RAMP=8000,12000,16000 TRIGGER=1s bench/stream/run.sh
#   BUILD=0 bench/stream/run.sh                  # reuse the jars already in target/
#   BUILD=0 JOB_JAR=/tmp/before.jar bench/stream/run.sh   # another build of the job, for a before/after
#   JOB_ARGS="--max-offsets-per-trigger 5000" RATES=8000 RAMP=" " bench/stream/run.sh
#                                                # micro-batches of a fixed size (CPU per micro-batch
#                                                # on a busy machine, where the job cannot keep up)
#   MODE=cluster bench/stream/run.sh             # the job's -cluster jar submitted to a local Spark standalone
#                                                # master with two 1-core workers, as ./pinpipe up --cluster does
#   MODE=cluster JOB_CLUSTER_JAR=/tmp/before-cluster.jar bench/stream/run.sh   # before/after in cluster mode
#   MODE=cluster WORKER_CORES=2 STREAM_CORES=3 JOB_ARGS="--mode real-time" bench/stream/run.sh
#                                                # real-time mode on the cluster: a task slot per partition
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

STEP_SECONDS="${STEP_SECONDS:-40}"
SETTLE_SECONDS="${SETTLE_SECONDS:-10}"
WARMUP_SECONDS="${WARMUP_SECONDS:-45}"
RATES="${RATES:-1000,5000}"
RAMP="${RAMP:-2000,3000,8000,12000,16000}"
TRIGGER="${TRIGGER:-1s}"
MODE="${MODE:-local}"   # local: one JVM; cluster: a standalone master, two workers, SparkSubmit
WORKER_CORES="${WORKER_CORES:-1}"   # cluster: each worker's cores (as ./pinpipe up --cluster: 1)
STREAM_CORES="${STREAM_CORES:-1}"   # cluster: the job's spark.cores.max (real-time mode needs one per partition)
WORK="$(mktemp -d /tmp/pinpipe-stream-bench.XXXXXX)"

source bench/harness/java.sh
if [[ "${BUILD:-1}" == 1 ]]; then
  ./mvnw -B -ntp -q -o -pl local-stack,stream-spark-job,bench -am -DskipTests package
  if [[ "$MODE" == cluster ]]; then ./mvnw -B -ntp -q -o -P spark-cluster -pl spark-home -DskipTests package; fi
fi
STACK_CP="$(ls local-stack/target/local-stack-*.jar | grep -v -- '-tests' | head -1):$(cat local-stack/target/classes/META-INF/pinpipe/local-stack.classpath)"
# JOB_JAR: another build of the job (e.g. the previous commit's) for a before/after on the same stack setup
JOB_JAR="${JOB_JAR:-$(ls stream-spark-job/target/stream-spark-job-*.jar | grep -v -- '-cluster' | head -1)}"
JOB_CP="$JOB_JAR:$(cat stream-spark-job/target/classpath.txt)"
SPARK_JVM_OPTIONS="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' pom.xml)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
KAFKA_PORT="$(free_port)"; S3_PORT="$(free_port)"; PG_PORT="$(free_port)"

pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "work dir: $WORK"
java -Xmx1g -cp "$STACK_CP" dev.pinpipe.localstack.LocalStackMain --data-dir "$WORK/data" --fresh \
  --kafka-port "$KAFKA_PORT" --s3-port "$S3_PORT" --pg-port "$PG_PORT" > "$WORK/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q PINPIPE-LOCALSTACK-READY "$WORK/stack.log" && break; sleep 1; done
grep -q PINPIPE-LOCALSTACK-READY "$WORK/stack.log" || { echo "local stack did not start:"; tail -20 "$WORK/stack.log"; exit 1; }

export PINPIPE_HOME="$WORK"
source bench/harness/stack.sh
export_stack_settings "$(grep -m1 '^PINPIPE-LOCALSTACK-READY ' "$WORK/stack.log")"

if [[ "$MODE" == cluster ]]; then
  # as ./pinpipe up --cluster: a master and two 1-core workers from spark-home's SPARK_HOME, the job's
  # -cluster jar through SparkSubmit in client mode with spark.cores.max=1; CPU per pin counts the driver only
  SPARK_HOME_DIR="$ROOT/spark-home/target/spark-home"
  JOB_CLUSTER_JAR="${JOB_CLUSTER_JAR:-$(ls stream-spark-job/target/stream-spark-job-*-cluster.jar | head -1)}"
  MASTER_PORT="$(free_port)"; MASTER_UI="$(free_port)"
  # shellcheck disable=SC2086
  env SPARK_HOME="$SPARK_HOME_DIR" SPARK_LOCAL_IP=127.0.0.1 java -Xmx256m $SPARK_JVM_OPTIONS -Dspark.master.rest.enabled=false \
    -cp "$SPARK_HOME_DIR/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
    --webui-port "$MASTER_UI" > "$WORK/spark-master.log" 2>&1 &
  pids+=($!)
  for w in 1 2; do
    # shellcheck disable=SC2086
    env SPARK_HOME="$SPARK_HOME_DIR" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 java -Xmx256m $SPARK_JVM_OPTIONS \
      -cp "$SPARK_HOME_DIR/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port "$(free_port)" \
      --cores "$WORKER_CORES" --memory 1g --work-dir "$WORK/spark-worker-$w" "spark://127.0.0.1:$MASTER_PORT" > "$WORK/spark-worker-$w.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 60); do [[ "$(grep -c 'Registering worker' "$WORK/spark-master.log" 2>/dev/null)" -ge 2 ]] && break; sleep 1; done
  # shellcheck disable=SC2086
  env SPARK_HOME="$SPARK_HOME_DIR" SPARK_LOCAL_IP=127.0.0.1 java -Xmx1g $SPARK_JVM_OPTIONS -cp "$SPARK_HOME_DIR/jars/*" \
    org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$MASTER_PORT" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
    --conf spark.cores.max="$STREAM_CORES" --class dev.pinpipe.stream.StreamJob "$JOB_CLUSTER_JAR" \
    --trigger "$TRIGGER" ${JOB_ARGS:-} > "$WORK/stream-job.log" 2>&1 &
  pids+=($!)
  JOB_PID=$!
else
  # shellcheck disable=SC2086
  java -Xmx2g $SPARK_JVM_OPTIONS ${JOB_JAVA_OPTS:-} -cp "$JOB_CP" dev.pinpipe.stream.StreamJob --trigger "$TRIGGER" ${JOB_ARGS:-} > "$WORK/stream-job.log" 2>&1 &
  pids+=($!)
  JOB_PID=$!
fi
# the embedded postmaster (its backends are its children): CPU per pin on the database side too
PG_PID="$(pgrep -o -f -- "postgres.* -p $PG_PORT" || echo 0)"
for _ in $(seq 1 300); do grep -q 'stream query .* reading' "$WORK/stream-job.log" && break; sleep 1; done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; mode $MODE; trigger $TRIGGER; job args: ${JOB_ARGS:-none}; ${STEP_SECONDS}s per step"
# on the job's class path (its Kafka client and JDBC driver); the metrics file is the job's, from the same PINPIPE_HOME
java -cp "$(bench_classpath "$JOB_CP")" dev.pinpipe.bench.StreamBench --seconds "$STEP_SECONDS" --settle-seconds "$SETTLE_SECONDS" \
  --warmup-seconds "$WARMUP_SECONDS" --rates "$RATES" --ramp "$RAMP" --job-pid "$JOB_PID" --postgres-pid "$PG_PID"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "the job's log: $WORK/stream-job.log"
