"""Statistik speed at ~10,000 admissions (issue 7; target ≤ 500 ms for one year): the ``statistics`` section of
``run.py`` (one year, XLSX export).

Run: .venv/bin/python benchmarks/bench_statistics.py [--runs N]   (the whole suite: ``make bench``)
"""

from __future__ import annotations

import sys

from run import main

if __name__ == "__main__":
    sys.exit(main(["--only", "statistics", *sys.argv[1:]]))
