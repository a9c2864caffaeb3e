#!/usr/bin/env bash
# Creates or refreshes the schemathesis virtualenv of OpenApiFuzzIT from ingest-api/fuzz/requirements.txt
# pinned by ingest-api/fuzz/constraints.txt, in $PINPIPE_SCHEMATHESIS_VENV (default
# $PINPIPE_HOME/schemathesis-venv, PINPIPE_HOME=.pinpipe under the repo). Idempotent and instant when
# the pins are unchanged (the venv keeps their SHA-256 and the Python version). Prints the venv's path.
#
#   ingest-api/bin/schemathesis-venv.sh            # → /…/.pinpipe/schemathesis-venv
#   PYTHON=python3.11 ingest-api/bin/schemathesis-venv.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
HOME_DIR="${PINPIPE_HOME:-.pinpipe}"
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
VENV="${PINPIPE_SCHEMATHESIS_VENV:-$HOME_DIR/schemathesis-venv}"
PY="${PYTHON:-python3}"
REQ="$MODULE/fuzz/requirements.txt"
PINS="$MODULE/fuzz/constraints.txt"
STAMP="$VENV/.pinpipe-pins.sha256"

want="$( { cat "$REQ" "$PINS"; "$PY" -c 'import sys; print(sys.version_info[:2])'; } | sha256sum | cut -d' ' -f1)"
up_to_date() { [[ -x "$VENV/bin/schemathesis" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; }

if up_to_date; then echo "$VENV"; exit 0; fi

mkdir -p "$(dirname "$VENV")"
# two builds at once must not run pip into the same venv together
exec 9>"$VENV.lock"
flock -w 600 9 || { echo "schemathesis venv: timed out waiting for $VENV.lock" >&2; exit 1; }
if up_to_date; then echo "$VENV"; exit 0; fi

"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 10) else f"schemathesis venv: needs Python 3.10+, {sys.executable} is {sys.version.split()[0]}")' >&2

started=$SECONDS
echo "schemathesis venv: installing pinned schemathesis into $VENV" >&2
rm -f "$STAMP"
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQ" -c "$PINS" >&2
echo "$want" > "$STAMP"
echo "schemathesis venv: ready in $((SECONDS - started)) s" >&2
echo "$VENV"
