#!/usr/bin/env bash
# Runs the airflow/ tests with a real Airflow: creates the pinned venv if needed (bin/venv.sh), a
# throw-away AIRFLOW_HOME with a SQLite metadata DB under airflow/target/, `airflow db migrate`,
# then pytest. Maven's verify phase calls this; it also runs alone:
#
#   airflow/bin/test.sh                 # every test
#   airflow/bin/test.sh -k structure    # extra arguments go to pytest
#
# The end-to-end test starts the local stack from the classpath in $PINPIPE_LOCALSTACK_CLASSPATH_FILE
# (airflow/target/local-stack.classpath, written by the Maven build) and runs the batch job jar.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
started=$SECONDS

VENV="$("$HERE/venv.sh")"

export AIRFLOW_HOME="$MODULE/target/airflow-home"
rm -rf "$AIRFLOW_HOME"
mkdir -p "$AIRFLOW_HOME"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_FOLDER="$MODULE/dags"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__API_AUTH__JWT_SECRET="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export PINPIPE_ROOT="$ROOT"
# the sensor pokes every 2 s in the tests (the DAG reads it when parsed; default 5 min)
export PINPIPE_ARCHIVE_POKE_INTERVAL="${PINPIPE_ARCHIVE_POKE_INTERVAL:-2}"
export PINPIPE_LOCALSTACK_CLASSPATH_FILE="${PINPIPE_LOCALSTACK_CLASSPATH_FILE:-$MODULE/target/local-stack.classpath}"

if ! "$VENV/bin/airflow" db migrate > "$AIRFLOW_HOME/db-migrate.log" 2>&1; then
  tail -n 40 "$AIRFLOW_HOME/db-migrate.log" >&2
  echo "airflow tests: 'airflow db migrate' failed (log: $AIRFLOW_HOME/db-migrate.log)" >&2
  exit 1
fi
echo "airflow tests: venv and metadata DB ready in $((SECONDS - started)) s" >&2

cd "$MODULE"
rc=0
"$VENV/bin/python" -m pytest -p no:cacheprovider --junitxml="$MODULE/target/pytest-report.xml" "$@" || rc=$?
echo "airflow tests: finished in $((SECONDS - started)) s (pytest exit $rc)" >&2
if [[ $rc -eq 5 ]]; then
  echo "airflow tests: pytest collected no tests — that is a failure here" >&2
  exit 1
fi
exit "$rc"
