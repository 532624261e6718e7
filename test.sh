#!/usr/bin/env bash
# Set up .venv if needed, then lint and run the test suite.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/eventledger ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
fi
.venv/bin/ruff check eventledger tests scripts
.venv/bin/python -m pytest "$@"
