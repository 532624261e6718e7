#!/usr/bin/env bash
# Set up eventledger in .venv (only what the tool needs to run), ingest the sample corpus into
# ledger.db and print a summary. `bash test.sh` adds the test extras.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/eventledger ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -e .
fi
.venv/bin/eventledger ingest samples/ --db ledger.db
.venv/bin/eventledger summary --db ledger.db
