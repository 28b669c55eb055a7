"""Check-out of the ward's current admissions to a laptop file (issue 19), on SQLite and PostgreSQL: the ``offline``
section of ``run.py``.

Run: .venv/bin/python benchmarks/bench_offline.py [--runs N]   (the whole suite: ``make bench``)
"""

from __future__ import annotations

import sys

from run import main

if __name__ == "__main__":
    sys.exit(main(["--only", "offline", *sys.argv[1:]]))
