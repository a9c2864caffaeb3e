"""Shared paths for the airflow/ tests (run through airflow/bin/test.sh, inside the pinned venv)."""

from pathlib import Path

MODULE = Path(__file__).resolve().parents[1]
REPO_ROOT = MODULE.parent
DAGS_FOLDER = MODULE / "dags"
