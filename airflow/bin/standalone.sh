#!/usr/bin/env bash
# Runs Airflow locally with the pinterest_batch DAG against the pinpipe stack the PINPIPE_* variables
# point at (docs/configuration.md defaults: the local stack on its usual ports), until Ctrl-C / SIGTERM.
# `./pinpipe airflow` calls this. UI on http://127.0.0.1:8080, login pinpipe / pinpipe.
#
# Airflow's four components run as separate processes after `airflow db migrate` rather than as
# `airflow standalone`: ~0.7 GiB instead of ~1.1 GiB, ready sooner, and each stops cleanly on SIGTERM
# (standalone only stops on SIGINT, which a background job of a script never receives).
#
# Settings (environment):
#   PINPIPE_AIRFLOW_PORT   UI / API port (default 8080)
#   PINPIPE_HOME           runtime data (default .pinpipe): AIRFLOW_HOME is $PINPIPE_HOME/airflow
#                          (SQLite metadata DB, run history kept between starts), logs in
#                          $PINPIPE_HOME/logs/airflow-<component>.log
#   PINPIPE_AIRFLOW_START_TIMEOUT  seconds to wait for the UI (default 420: ~10 s on a quiet machine,
#                          minutes when the two cores are saturated)
#   PINPIPE_*              passed on to the tasks (S3 and Postgres defaults of the DAG, the batch job)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
HOME_DIR="${PINPIPE_HOME:-.pinpipe}"
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
PORT="${PINPIPE_AIRFLOW_PORT:-8080}"
URL="http://127.0.0.1:$PORT"
LOGS="$HOME_DIR/logs"
USER_NAME=pinpipe
PASSWORD=pinpipe

VENV="$("$HERE/venv.sh")"
PY="$VENV/bin/python"
AIRFLOW="$VENV/bin/airflow"

if "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "airflow: port $PORT is in use (another Airflow?); set PINPIPE_AIRFLOW_PORT to use another" >&2
  exit 2
fi

export AIRFLOW_HOME="$HOME_DIR/airflow"
mkdir -p "$AIRFLOW_HOME" "$LOGS"
export PINPIPE_ROOT="$ROOT"
export AIRFLOW__CORE__DAGS_FOLDER="$MODULE/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__CORE__PARALLELISM=4
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$URL/execution/"
# a fixed local login instead of the generated password file of the simple auth manager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$USER_NAME:admin"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$AIRFLOW_HOME/pinpipe-passwords.json"
printf '{"%s": "%s"}\n' "$USER_NAME" "$PASSWORD" > "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
# kept between starts so a browser's session survives a restart; never leaves this machine
if [[ ! -s "$AIRFLOW_HOME/jwt-secret" ]]; then
  (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' > "$AIRFLOW_HOME/jwt-secret")
fi
AIRFLOW__API_AUTH__JWT_SECRET="$(cat "$AIRFLOW_HOME/jwt-secret")"
export AIRFLOW__API_AUTH__JWT_SECRET

echo "airflow: migrating the metadata DB ($AIRFLOW_HOME/airflow.db)" >&2
if ! "$AIRFLOW" db migrate > "$LOGS/airflow-db-migrate.log" 2>&1; then
  tail -n 30 "$LOGS/airflow-db-migrate.log" >&2
  echo "airflow: 'airflow db migrate' failed (log: $LOGS/airflow-db-migrate.log)" >&2
  exit 1
fi

pids=()
stop() {
  trap - INT TERM
  echo "airflow: stopping" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 45); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "airflow: stopped" >&2
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

start() {  # component, args…
  local name="$1"; shift
  "$AIRFLOW" "$@" > "$LOGS/airflow-$name.log" 2>&1 &
  pids+=("$!")
}
start api-server api-server
start scheduler scheduler --skip-serve-logs
start dag-processor dag-processor
start triggerer triggerer --skip-serve-logs

# ready = the API answers, the login works and the DAG is parsed and unpaused (it may have been
# paused in an earlier run: AIRFLOW_HOME is kept)
if ! "$PY" - "$URL" "$USER_NAME" "$PASSWORD" "${PINPIPE_AIRFLOW_START_TIMEOUT:-420}" <<'PYREADY'
import json, sys, time, urllib.request, urllib.error
url, user, password, timeout = sys.argv[1:5]
deadline = time.monotonic() + int(timeout)

def call(method, path, body=None, token=None):
    request = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)

while True:
    try:
        token = call("POST", "/auth/token", {"username": user, "password": password})["access_token"]
        if not call("PATCH", "/api/v2/dags/pinterest_batch", {"is_paused": False}, token)["is_paused"]:
            break
    except (urllib.error.URLError, OSError, KeyError, ValueError):
        pass  # not up yet, or the DAG not parsed yet (404)
    if time.monotonic() > deadline:
        sys.exit(f"airflow: not ready after {timeout} s")
    time.sleep(2)
PYREADY
then
  echo "airflow: see $LOGS/airflow-*.log" >&2
  stop
  exit 1
fi

cat <<READY
Airflow is up: $URL   (login: $USER_NAME / $PASSWORD)
  DAG pinterest_batch (unpaused): $URL/dags/pinterest_batch — "Trigger" with a logical date = the day to process
  against S3 ${PINPIPE_S3_ENDPOINT:-http://127.0.0.1:9000} and ${PINPIPE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/pinterest}
  logs: $LOGS/airflow-*.log, task logs under $AIRFLOW_HOME/logs
  Ctrl-C stops it.
READY

# until a signal, or until one component dies (then stop the others too)
set +e
wait -n "${pids[@]}"
status=$?
echo "airflow: a component exited (status $status); see $LOGS/airflow-*.log" >&2
stop
exit 1
