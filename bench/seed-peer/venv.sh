#!/usr/bin/env bash
# Installs the seed peer's pinned libraries into $PINPIPE_HOME/bench-venv (default .pinpipe/bench-venv).
# Idempotent: a stamp holding the requirements' checksum skips the install when nothing changed.
# Prints the venv's path on stdout (progress goes to stderr).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
HOME_DIR="${PINPIPE_HOME:-.pinpipe}"
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
VENV="$HOME_DIR/bench-venv"
REQ="$HERE/requirements.txt"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"

if [[ -x "$VENV/bin/python" && -f "$VENV/.requirements.sha256" && "$(cat "$VENV/.requirements.sha256")" == "$want" ]]; then
  echo "$VENV"; exit 0
fi
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; assert sys.version_info >= (3, 10), "the seed peer needs Python 3.10+"'
echo "bench: installing the seed peer's libraries into $VENV (pyspark is ~450 MB the first time)" >&2
mkdir -p "$HOME_DIR"
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" >&2
echo "$want" > "$VENV/.requirements.sha256"
echo "$VENV"
