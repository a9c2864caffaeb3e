#!/usr/bin/env bash
# batch-spark-job/scripts/cluster-check.sh — manual check (not CI) that the -cluster jar runs under
# spark-submit on a real Spark standalone cluster: starts a master and one worker on 127.0.0.1 from a
# pyspark==4.2.0 install, submits BatchJob for one day against the stack the PINPIPE_* variables point
# at, prints the job's summary, stops both by pid.
#   SPARK_HOME=… batch-spark-job/scripts/cluster-check.sh --date YYYY-MM-DD [more BatchJob flags]
# SPARK_HOME defaults to the pyspark package of `python3` (pip install pyspark==4.2.0).
# Secrets come from the environment only, as for every submission (docs/cluster.md): PINPIPE_DB_PASSWORD
# or PINPIPE_DB_PASSWORD_FILE (a 0600 file), PINPIPE_S3_SECRET_KEY or PINPIPE_S3_SECRET_KEY_FILE; the
# client-mode driver is this spark-submit, so it reads them here. The job refuses secret flags.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

SPARK_HOME="${SPARK_HOME:-$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')}"
export SPARK_HOME
JAR="$(ls batch-spark-job/target/batch-spark-job-*-cluster.jar | head -1)"
[[ -f "$JAR" ]] || { echo "build it first: ./mvnw -pl batch-spark-job -am -DskipTests package" >&2; exit 2; }

WORK="$(mktemp -d)"
MASTER_PORT="${MASTER_PORT:-7077}"
export SPARK_LOG_DIR="$WORK" SPARK_WORKER_DIR="$WORK/work" SPARK_LOCAL_IP=127.0.0.1
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
  --webui-port 18080 >"$WORK/master.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "I have been elected leader" "$WORK/master.log" && break; sleep 1; done
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 18081 \
  --cores 2 --memory 2g "spark://127.0.0.1:$MASTER_PORT" >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "Successfully registered with master" "$WORK/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$WORK/worker.log" || { echo "worker did not register; see $WORK" >&2; exit 1; }

set +e
"$SPARK_HOME/bin/spark-submit" --master "spark://127.0.0.1:$MASTER_PORT" \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
  --executor-memory 1g --class dev.pinpipe.batch.BatchJob "$JAR" "$@" >"$WORK/submit.out" 2>"$WORK/submit.err"
rc=$?
set -e
cat "$WORK/submit.out"
grep -E "batch:|Exception" "$WORK/submit.err" | head -20 >&2 || true
echo "spark-submit exit status $rc (logs in $WORK; executors ran: $(ls "$WORK/work" 2>/dev/null | wc -l) application(s))"
exit $rc
