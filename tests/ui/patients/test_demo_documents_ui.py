"""The demo ward's Dokumenter tab (issue 16): an admission whose history has been sent about shows each
notification's varslingsblanket, issued by who sent it when it was sent, beside its plan in force."""

from __future__ import annotations

from helpers.screens import grab

from coordinator_app.demo._names import COORDINATORS


def test_a_demo_admission_shows_its_blankets_and_its_plan(main_window) -> None:
    window = main_window
    documents = window.services.documents
    best = max(
        (window.patients_tab.model.row_at(r).admission_id for r in range(window.patients_tab.model.rowCount())),
        key=lambda i: len({d.kind for d in documents.documents(i)}),
    )
    assert window.patients_tab.select_admission(best)
    details = window.patients_tab.details
    details.tabs.setCurrentWidget(details.documents_tab)
    table = details.documents
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    titles = [title for _when, title, _by in rows]
    assert any(t.startswith("Koordinationsplan") or t.startswith("Udskrivningsaftale") for t in titles)
    assert any(t.startswith("Orientering") for t in titles) and any(t.startswith("Varsling") for t in titles)
    assert {by for _when, _title, by in rows} - {"demo"} <= set(COORDINATORS)
    window.resize(1400, 900)
    grab(window, "demo-dokumenter")
    details.tabs.setCurrentWidget(details.plan_tab)
    grab(window, "demo-aftale-plan")
