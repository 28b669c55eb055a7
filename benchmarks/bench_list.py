"""Patient-list speed at ~10,000 admissions (issue 2/7): prints figures, asserts nothing.

Run: .venv/bin/python benchmarks/bench_list.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSortFilterProxyModel, Qt

from coordinator_app.demo import generate_demo_ward
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.storage import open_database
from coordinator_app.storage.repositories import bulk_load
from coordinator_app.ui.admission_table import COL_NAME, COL_NEXT, AdmissionTableModel
from coordinator_app.ui.app import ensure_application

MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)


def median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def show(label: str, ms: float) -> None:
    print(f"{label:<26}{ms:8.1f} ms")


def main() -> None:
    ensure_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db")
        ctx = ServiceContext(database=db, clock=fixed_clock(MOMENT))
        ensure_reference_data(ctx)
        start = time.perf_counter()
        ward = generate_demo_ward(MOMENT.date(), history_years=7)
        gen_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        with db.session() as s:
            bulk_load(
                s,
                kommuner=ward.kommuner,
                patients=ward.patients,
                admissions=ward.admissions,
                events=ward.events,
            )
        load_ms = (time.perf_counter() - start) * 1000
        service = AdmissionService(ctx)
        rows = service.list_rows(include_discharged=True)
        print(f"admissions: {len(rows)}  events: {len(ward.events)}")
        show("demo generation", gen_ms)
        show("bulk load", load_ms)
        show("service list (all)", median_ms(lambda: service.list_rows(include_discharged=True)))
        show("service list (current)", median_ms(lambda: service.list_rows()))
        model = AdmissionTableModel()
        show("model set_rows", median_ms(lambda: model.set_rows(rows)))
        words = ["k", "kø", "købe", "københavn", "hansen"]

        def type_words() -> None:
            for w in words:
                model.set_filter(w)

        show("filter keystroke", median_ms(type_words) / len(words))
        model.set_filter("")
        show("sort by name", median_ms(lambda: model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)))
        show("sort by next deadline", median_ms(lambda: model.sort(COL_NEXT, Qt.SortOrder.DescendingOrder)))
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        def type_words_proxy() -> None:
            for w in words:
                proxy.setFilterFixedString(w)

        show("proxy filter keystroke", median_ms(type_words_proxy, runs=3) / len(words))
        db.dispose()


if __name__ == "__main__":
    main()
