#!/usr/bin/env bash
# The whole test run: import-linter layering contracts, then pytest (domain, storage on SQLite and a
# throwaway PostgreSQL the fixtures start, pytest-qt GUI tests offscreen, CLI smoke in a subprocess).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
start=$(date +%s)
echo "== Kodestil (ruff) =="
.venv/bin/ruff check .
echo "== Lagdeling (import-linter) =="
.venv/bin/lint-imports --no-cache
echo "== Tests =="
.venv/bin/python -m pytest "$@"
echo "Testkørslen tog $(( $(date +%s) - start )) s"
