"""Patient-list speed at ~10,000 admissions (issue 2/7): the ``list`` and ``query`` sections of ``run.py``.

Run: .venv/bin/python benchmarks/bench_list.py [--runs N]   (the whole suite: ``make bench``)
"""

from __future__ import annotations

import sys

from run import main

if __name__ == "__main__":
    sys.exit(main(["--only", "list", "--only", "query", *sys.argv[1:]]))
