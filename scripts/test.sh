#!/usr/bin/env bash
# The whole test run: ruff, import-linter layering contracts, mypy (its config in pyproject.toml), then pytest
# (domain, storage on SQLite and a throwaway PostgreSQL the fixtures start, pytest-qt GUI tests offscreen, CLI smoke
# in a subprocess), then the installer tests against the bundle, .tar.gz and .deb that `make bundle` builds
# (installer/build.sh).
#
# The bundle is built in the background from the start (its log in build/bundle.log), niced, so it takes the
# cycles the parallel pytest leaves and adds little wall time. Arguments go to the main pytest run
# (KOORDINATOR_TEST_WORKERS=1 runs it in one process).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
start=$(date +%s)

mkdir -p build
bundle_log=build/bundle.log
# Its own session (process group), so an interrupted run stops PyInstaller too; niced so the tests come first.
setsid nice -n 10 bash installer/build.sh >"$bundle_log" 2>&1 &
bundle_pid=$!
trap 'kill -- -"$bundle_pid" 2>/dev/null || true' EXIT
echo "== Pakker: installer/build.sh bygger i baggrunden (log: $bundle_log) =="

echo "== Kodestil (ruff) =="
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .  # one layout everywhere: sixteen files had drifted while only the linter ran
echo "== Lagdeling (import-linter) =="
.venv/bin/lint-imports --no-cache --no-logo
echo "== Typer (mypy) =="
.venv/bin/mypy
# Every test folder's conftest.py is a module named conftest, so [tool.mypy] leaves them out: one run each
# (from the cache, a fraction of a second each; silent when clean).
for conftest in tests/*/conftest.py; do
  .venv/bin/mypy --no-error-summary "$conftest"
done
echo "== Tests =="
status=0
# In parallel (pytest-xdist): one worker per CPU, each with its own PostgreSQL cluster and temp folders.
# --tb=short: a failure shows its test, the failing line and the error, not pages of source.
.venv/bin/python -m pytest -n "${KOORDINATOR_TEST_WORKERS:-auto}" --tb=short --ignore=tests/installer "$@" || status=$?

echo "== Pakker (installer/build.sh) =="
waited=$(date +%s)
if ! wait "$bundle_pid"; then
  echo "installer/build.sh fejlede; sidste linjer af $bundle_log:" >&2
  tail -n 40 "$bundle_log" >&2
  exit 1
fi
trap - EXIT
grep '^Bundle:' "$bundle_log" || true
echo "Ventede $(($(date +%s) - waited)) s på pakkerne efter testene"
echo "== Installationstests (tests/installer) =="
.venv/bin/python -m pytest --tb=short tests/installer || status=$?
echo "Testkørslen tog $(($(date +%s) - start)) s"
exit "$status"
