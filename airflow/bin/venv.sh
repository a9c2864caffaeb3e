#!/usr/bin/env bash
# Creates or refreshes the Airflow virtualenv from airflow/requirements.txt pinned by
# airflow/constraints.txt, in $PINPIPE_AIRFLOW_VENV (default $PINPIPE_HOME/airflow-venv,
# PINPIPE_HOME=.pinpipe under the repo). Idempotent and instant when the pins are unchanged: the
# venv keeps the SHA-256 of both pin files (and the Python version) and skips pip when it matches.
# Prints the venv's path on stdout; progress goes to stderr.
#
#   airflow/bin/venv.sh            # → /…/.pinpipe/airflow-venv
#   PYTHON=python3.11 airflow/bin/venv.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
HOME_DIR="${PINPIPE_HOME:-.pinpipe}"
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
VENV="${PINPIPE_AIRFLOW_VENV:-$HOME_DIR/airflow-venv}"
PY="${PYTHON:-python3}"
REQ="$MODULE/requirements.txt"
PINS="$MODULE/constraints.txt"
STAMP="$VENV/.pinpipe-pins.sha256"

want="$( { cat "$REQ" "$PINS"; "$PY" -c 'import sys; print(sys.version_info[:2])'; } | sha256sum | cut -d' ' -f1)"
up_to_date() { [[ -x "$VENV/bin/airflow" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; }

if up_to_date; then echo "$VENV"; exit 0; fi

mkdir -p "$(dirname "$VENV")"
# two callers at once (a build and ./pinpipe airflow) must not run pip into the same venv together
exec 9>"$VENV.lock"
flock -w 1800 9 || { echo "airflow venv: timed out waiting for $VENV.lock" >&2; exit 1; }
if up_to_date; then echo "$VENV"; exit 0; fi

"$PY" - <<'PYCHECK' >&2
import sys
if not (3, 10) <= sys.version_info[:2] <= (3, 13):
    sys.exit(f"airflow venv: Airflow 3.3 needs Python 3.10-3.13, {sys.executable} is {sys.version.split()[0]}")
if sys.version_info[:2] != (3, 11):
    print(f"airflow venv: note: constraints.txt was resolved on Python 3.11, this is {sys.version.split()[0]}")
PYCHECK

started=$SECONDS
echo "airflow venv: installing pinned Airflow into $VENV (~700 MB the first time; a few minutes)" >&2
rm -f "$STAMP"
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$REQ" -c "$PINS" >&2
echo "$want" > "$STAMP"
echo "airflow venv: ready in $((SECONDS - started)) s" >&2
echo "$VENV"
