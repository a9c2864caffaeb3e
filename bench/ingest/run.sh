#!/usr/bin/env bash
# The ingest benchmark: single-pin req/s and p50/p99 at fixed concurrency levels, p50…p99.9 at a fixed
# 2 000 req/s (open loop: latency from each request's due time), and pins/s through POST /pins,
# measured by the user emulator's `bench` command from its own process on loopback. Not a test: it prints figures.
#
#   bench/ingest/run.sh [bench options]     e.g. --seconds 20 --levels 8,32,64 --fixed-rate 2000
#   bench/ingest/run.sh --phases fixed --fixed-rate 2000 --seconds 30    (the fixed-rate phase alone)
#
# Uses the API at $PINPIPE_API_URL (default http://127.0.0.1:8000) when its readiness answers UP on its
# management port (127.0.0.1:$PINPIPE_API_MANAGEMENT_PORT, default 8100); otherwise starts the stack and
# the API with `./pinpipe up` and stops them with `./pinpipe down` afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
API="${PINPIPE_API_URL:-http://127.0.0.1:8000}"
READINESS="http://127.0.0.1:${PINPIPE_API_MANAGEMENT_PORT:-8100}/actuator/health/readiness"

emulator_jar() { ls user-emulator/target/user-emulator-*-all.jar 2>/dev/null | head -1; }
# (re)built when missing or older than the emulator's sources (the fixed-rate client lives there)
if [[ -z "$(emulator_jar)" || -n "$(find user-emulator/src user-emulator/pom.xml -newer "$(emulator_jar)" -print -quit)" ]]; then
  ./mvnw -B -ntp -q -pl user-emulator -am package -DskipTests
fi

started=""
if ! curl -fsS -o /dev/null --max-time 2 "$READINESS"; then
  echo "no API at $API: starting the stack and the API (./pinpipe up)" >&2
  ./pinpipe up
  started=yes
fi
cleanup() { if [[ -n "$started" ]]; then ./pinpipe down || true; fi; }
trap cleanup EXIT

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null --max-time 2 "$READINESS" && break
  sleep 1
done

echo "ingest benchmark against $API on $(nproc) cores, $(date -u +%FT%TZ)" >&2
java -Xmx1g -jar "$(emulator_jar)" bench --api "$API" "$@"
