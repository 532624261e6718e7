#!/usr/bin/env bash
# Set up .venv with the test extras if needed (a fresh clone, or one `run.sh` set up), then lint,
# type-check (mypy; settings in pyproject.toml) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/pytest ] || [ ! -x .venv/bin/ruff ] || [ ! -x .venv/bin/mypy ] || [ ! -x .venv/bin/eventledger ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
fi
.venv/bin/ruff check eventledger tests scripts
.venv/bin/mypy eventledger
.venv/bin/python -m pytest "$@"
