#!/usr/bin/env bash
# bench/stream/before-after.sh REV — the stream job at REV and now, local and cluster mode, in one run.
#
# Builds REV's stream job in a git worktree (its own Maven repository copy, so REV's snapshots do not
# replace this tree's), then runs bench/stream/run.sh back to back:
#   local   REV (its defaults)  | now --mode micro-batch | now --mode real-time
#   cluster REV (its defaults)  | now --mode micro-batch | now --mode real-time (2-core workers, 3 cores)
# Cluster mode is a local standalone master with two workers, as ./pinpipe up --cluster starts them.
#
#   bench/stream/before-after.sh 38cd2e9
#   STEP_SECONDS=30 RATES=1000,5000 RAMP=8000,12000 bench/stream/before-after.sh HEAD~3
#   ONLY=local bench/stream/before-after.sh 38cd2e9        # or ONLY=cluster
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
REV="${1:?usage: bench/stream/before-after.sh REV}"
BEFORE="${BEFORE_DIR:-/tmp/pinpipe-before-$(git rev-parse --short "$REV")}"
export STEP_SECONDS="${STEP_SECONDS:-30}" SETTLE_SECONDS="${SETTLE_SECONDS:-8}" WARMUP_SECONDS="${WARMUP_SECONDS:-30}"
export RATES="${RATES:-1000,5000}" RAMP="${RAMP:-8000,12000,16000}"

if [[ ! -f "$BEFORE/stream-spark-job/target/classpath.txt" ]]; then
  git worktree add -f "$BEFORE" "$REV" > /dev/null
  repo="$BEFORE.m2"
  [[ -d "$repo" ]] || cp -r "${MAVEN_REPO:-$HOME/.m2/repository}" "$repo"
  (cd "$BEFORE" && ./mvnw -B -ntp -q -o -Dmaven.repo.local="$repo" -pl stream-spark-job -am -DskipTests install)
fi
./mvnw -B -ntp -q -o -pl local-stack,stream-spark-job,bench -am -DskipTests package
./mvnw -B -ntp -q -o -P spark-cluster -pl spark-home -DskipTests package
BEFORE_JAR="$(ls "$BEFORE"/stream-spark-job/target/stream-spark-job-*.jar | grep -v -- '-cluster' | head -1):$BEFORE/pin-spark/target/classes:$BEFORE/pin-core/target/classes"
BEFORE_CLUSTER_JAR="$(ls "$BEFORE"/stream-spark-job/target/stream-spark-job-*-cluster.jar | head -1)"

run() {  # run NAME VAR=VALUE…
  local name="$1"; shift
  echo
  echo "### $name"
  env BUILD=0 "$@" bench/stream/run.sh 2>&1 | grep -v '^work dir' || echo "($name failed)"
}

echo "stream before/after: $REV ($(git log -1 --format=%s "$REV")) vs $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores; steps ${STEP_SECONDS}s (first ${SETTLE_SECONDS}s not counted), rates $RATES, ramp $RAMP"
if [[ "${ONLY:-}" != cluster ]]; then
  run "local, $REV" MODE=local JOB_JAR="$BEFORE_JAR"
  run "local, now, micro-batch" MODE=local JOB_ARGS="--mode micro-batch"
  run "local, now, real-time" MODE=local JOB_ARGS="--mode real-time"
fi
if [[ "${ONLY:-}" != local ]]; then
  run "cluster, $REV" MODE=cluster JOB_CLUSTER_JAR="$BEFORE_CLUSTER_JAR"
  run "cluster, now, micro-batch" MODE=cluster JOB_ARGS="--mode micro-batch"
  run "cluster, now, real-time (2-core workers, spark.cores.max=3)" MODE=cluster WORKER_CORES=2 STREAM_CORES=3 JOB_ARGS="--mode real-time"
fi
