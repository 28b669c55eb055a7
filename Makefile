# Koordinator — the two commands a new machine needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup bundle run test fuzz smoke bench clean

setup:
	@bash scripts/setup.sh

## What IT installs (issue 9): dist/koordinator/ (PyInstaller onedir), its .tar.gz and the .deb — installer/README.md.
bundle: setup
	@bash installer/build.sh

## Set up (idempotent) and start the app on the demo database in the user's data folder.
run: setup
	$(VENV)/bin/koordinator --demo --database "$$($(PY) -m coordinator_app.cli.commands --print-demo-url)"

## Set up (idempotent) and run every test: layering contracts, domain, storage (SQLite + PostgreSQL), GUI.
test: setup
	@bash scripts/test.sh

## Random exploration (not in CI): every property-based test under Hypothesis' "fuzz" profile — random seeds, ten
## times the service fuzzing, shrinking as long as it needs, found failures kept in .hypothesis/ and replayed.
## Add each failure it finds to its test as an @example, so make test holds it from then on.
fuzz: setup
	KOORDINATOR_HYPOTHESIS_PROFILE=fuzz KOORDINATOR_FUZZ_SCALE=$${KOORDINATOR_FUZZ_SCALE:-10} \
	  $(PY) -m pytest -n auto -m fuzz $(ARGS)

smoke: setup
	$(VENV)/bin/koordinator --smoke

## Speed at 10,000 admissions (issue 7): one table, median of 7 runs, target and PASS/FAIL per line. Prints only.
bench: setup
	$(PY) benchmarks/run.py

## Removes the venv and everything built (dist/ holds the bundle, tar.gz and .deb; build/ PyInstaller's work).
clean:
	rm -rf $(VENV) build dist *.egg-info
