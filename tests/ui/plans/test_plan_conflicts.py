"""Two workstations edit the same udskrivningsaftale kladde, or the same admission's plan facts (issue 8: a
coordinator never loses a line they typed).

Each workstation has its own ``Database`` on the same SQLite file and its own window. A saves; B types and saves
after A → B sees, in Danish, that a colleague saved a newer version, who and when. «Gem min kladde som ny version»
stores B's text as the newest version and A's version stays in the history; «Hent den gemte» shows A's text;
Annuller keeps B's text in the editor. The facts on the Aftale/plan tab likewise: B's ticks and date are put back on
top of what A saved, and B chooses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from helpers.screens import grab
from helpers.ward import admit
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from coordinator_app.domain.discharge_plans import Offer, PlanKind, PlanStatus
from coordinator_app.domain.model import PlanFacts
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.plans import PlanService
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.storage.database import open_database
from coordinator_app.ui.common.conflict_dialog import ConflictDialog
from coordinator_app.ui.plans.plan_dialogs import PlanActions
from coordinator_app.ui.plans.plan_editor import PlanEditorDialog
from coordinator_app.ui.plans.plan_tab import PlanTab

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen
TODAY = date(2026, 11, 23)


@dataclass
class Workstation:
    plans: PlanService
    admissions: AdmissionService


@pytest.fixture
def workstations(sqlite_url: str) -> Iterator[tuple[Workstation, Workstation, int]]:
    """Anne (A) and Bo (B) on two connections to one database; one admission with an udskrivningsaftale kladde."""
    first, second = open_database(sqlite_url), open_database(sqlite_url)
    try:
        ctx_a = ServiceContext(database=first, clock=fixed_clock(NOW), user="anne.a")
        ctx_b = ServiceContext(database=second, clock=fixed_clock(NOW), user="bo.b")
        ensure_reference_data(ctx_a)
        created = admit(ctx_a, admitted=date(2026, 11, 10))
        assert created.admission_id is not None
        a = Workstation(PlanService(ctx_a), AdmissionService(ctx_a))
        b = Workstation(PlanService(ctx_b), AdmissionService(ctx_b))
        yield a, b, created.admission_id
    finally:
        first.dispose()
        second.dispose()


@pytest.fixture(autouse=True)
def discard_on_teardown(monkeypatch) -> None:
    """pytest-qt closes the editors after each test; an editor with unsaved text would ask and wait forever."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)


def shot(widget: QWidget, name: str) -> None:
    grab(widget, f"plan-conflict-{name}")


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


# -- the plan editor ---------------------------------------------------------------------------------------------
def editor_on(qtbot, station: Workstation, admission_id: int) -> PlanEditorDialog:
    panel = station.plans.panel(admission_id)
    editor = PlanEditorDialog(station.plans, panel.plans[-1], patient_name=panel.patient_name, today=TODAY)
    qtbot.addWidget(editor)
    editor.show()
    return editor


@pytest.fixture
def kladde_conflict(qtbot, workstations):
    """A and B open the same kladde; A types and saves; B types and saves → B's conflict dialog is open."""
    a, b, admission_id = workstations
    plan = a.plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    editor_a, editor_b = editor_on(qtbot, a, admission_id), editor_on(qtbot, b, admission_id)
    qtbot.keyClicks(editor_a.form.wishes, "Vil bo hos sin søster")
    qtbot.keyClicks(editor_a.form.contact_person, "Lone Fiktivsen, 12 34 56 78")
    click(qtbot, editor_a.save_button)
    assert "gemt" in editor_a.ok_label.text()

    qtbot.keyClicks(editor_b.form.wishes, "Vil bo i egen lejlighed")
    qtbot.keyClicks(editor_b.form.goals, "Passe sin medicin selv")
    click(qtbot, editor_b.save_button)
    dialog = editor_b.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    return a, b, plan.id, editor_b, dialog


def test_the_danish_choice_names_the_colleague_and_when_and_nothing_is_lost_yet(kladde_conflict) -> None:
    a, _b, plan_id, editor_b, dialog = kladde_conflict
    shot(dialog, "plan-conflict-dialog")
    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.hint)))
    assert "Kladden til udskrivningsaftalen er ændret af anne.a 23-11-2026 kl. 10:00" in text
    assert "Gemt som version 2" in text
    assert dialog.note_button.text() == "Gem min kladde som &ny version"
    assert dialog.reload_button.text() == "&Hent den gemte"
    assert dialog.cancel_button.text() == "Annuller"
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows == {"Patientens ønsker": "Vil bo i egen lejlighed", "Patientens mål": "Passe sin medicin selv"}
    assert dialog.table.item(0, 2).text() == "Vil bo hos sin søster"
    assert editor_b.form.wishes.toPlainText() == "Vil bo i egen lejlighed"  # still in the window while asked
    assert [v.saved_by for v in a.plans.versions(plan_id)] == ["anne.a", "anne.a"]  # nothing of B's written


def test_gem_min_kladde_som_ny_version_stores_mine_on_top_and_the_colleagues_stays_in_history(
    qtbot, kladde_conflict
) -> None:
    a, _b, plan_id, editor_b, dialog = kladde_conflict
    click(qtbot, dialog.note_button)
    qtbot.waitUntil(lambda: editor_b.conflict_dialog is None)
    shot(editor_b, "plan-conflict-kept")
    versions = a.plans.versions(plan_id)
    assert [v.saved_by for v in versions] == ["anne.a", "anne.a", "bo.b"]
    newest, colleagues = versions[-1].content, versions[-2].content
    assert newest.wishes == "Vil bo i egen lejlighed" and newest.goals == "Passe sin medicin selv"
    assert newest.contact_person == "Lone Fiktivsen, 12 34 56 78"  # only A changed it: A's text is kept
    assert colleagues.wishes == "Vil bo hos sin søster"  # A's version is still in the history
    assert "nyeste version" in editor_b.ok_label.text() and "anne.a" in editor_b.ok_label.text()
    assert editor_b.form.wishes.toPlainText() == "Vil bo i egen lejlighed"
    assert editor_b.form.contact_person.text() == "Lone Fiktivsen, 12 34 56 78"
    assert not editor_b.dirty
    qtbot.keyClicks(editor_b.form.reaction_who, "Kontaktpersonen")  # B saves again: no conflict now
    click(qtbot, editor_b.save_button)
    assert editor_b.conflict_dialog is None and a.plans.versions(plan_id)[-1].content.reaction_who == "Kontaktpersonen"


def test_hent_den_gemte_shows_the_colleagues_text(qtbot, kladde_conflict) -> None:
    a, _b, plan_id, editor_b, dialog = kladde_conflict
    click(qtbot, dialog.reload_button)
    qtbot.waitUntil(lambda: editor_b.conflict_dialog is None)
    assert editor_b.form.wishes.toPlainText() == "Vil bo hos sin søster"
    assert editor_b.form.goals.toPlainText() == ""
    assert "kasseret" in editor_b.ok_label.text()
    assert not editor_b.dirty
    assert [v.saved_by for v in a.plans.versions(plan_id)] == ["anne.a", "anne.a"]


def test_annuller_keeps_my_text_in_the_editor_and_saves_nothing(qtbot, kladde_conflict) -> None:
    a, _b, plan_id, editor_b, dialog = kladde_conflict
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: editor_b.conflict_dialog is None)
    assert editor_b.isVisible()
    assert editor_b.form.wishes.toPlainText() == "Vil bo i egen lejlighed"
    assert editor_b.form.goals.toPlainText() == "Passe sin medicin selv"
    assert editor_b.dirty and "Intet er gemt" in editor_b.error_label.text()
    shot(editor_b, "plan-conflict-cancelled")
    assert [v.saved_by for v in a.plans.versions(plan_id)] == ["anne.a", "anne.a"]
    click(qtbot, editor_b.save_button)  # asked again, the text still there
    assert editor_b.conflict_dialog is not None and editor_b.conflict_dialog.isVisible()
    click(qtbot, editor_b.conflict_dialog.cancel_button)


def test_a_kladde_ended_meanwhile_cannot_take_my_text_and_cancel_keeps_it(qtbot, workstations) -> None:
    a, b, admission_id = workstations
    a.plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    editor_b = editor_on(qtbot, b, admission_id)
    qtbot.keyClicks(editor_b.form.goals, "Passe sin medicin selv")
    stored = a.plans.panel(admission_id).plans[-1]
    a.plans.end(stored.id or 0, "Erstattet af en ny", expected_version=stored.version or 0)
    click(qtbot, editor_b.save_button)
    dialog = editor_b.conflict_dialog
    assert dialog is not None and not dialog.note_button.isEnabled()  # an ended plan cannot take my text
    assert "afsluttet" in dialog.hint.text()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: editor_b.conflict_dialog is None)
    assert editor_b.form.goals.toPlainText() == "Passe sin medicin selv"
    assert a.plans.panel(admission_id).plans[-1].status is PlanStatus.AFSLUTTET


# -- the admission's plan facts on the Aftale/plan tab -----------------------------------------------------------
@pytest.fixture
def facts_conflict(
    qtbot: QtBot, workstations: tuple[Workstation, Workstation, int]
) -> tuple[Workstation, int, PlanTab, PlanActions, ConflictDialog, list[str]]:
    """B's tab shows the admission; A ticks one fact and saves; B ticks another, sets a date and saves."""
    a, b, admission_id = workstations
    window = QWidget()
    qtbot.addWidget(window)
    tab = PlanTab(window)
    QVBoxLayout(window).addWidget(tab)
    actions = PlanActions(window, b.plans, today=lambda: TODAY, last_change=b.admissions.last_change)
    actions.connect_tab(tab)
    actions.changed.connect(lambda aid: tab.set_panel(b.plans.panel(aid), TODAY))  # as the main window does
    messages: list[str] = []
    actions.message.connect(messages.append)
    tab.set_panel(b.plans.panel(admission_id), TODAY)
    window.resize(900, 600)
    window.show()

    theirs = a.plans.panel(admission_id).admission
    a.plans.set_facts(admission_id, PlanFacts(afsnit_v_support=True), None, expected_version=theirs.version or 0)
    click(qtbot, tab.fact_checks["wont_seek_help"])
    click(qtbot, tab.planned.check)
    tab.planned.edit.set_value(date(2026, 12, 4))
    click(qtbot, tab.save_facts_button)
    dialog = actions.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    return a, admission_id, tab, actions, dialog, messages


def test_facts_conflict_puts_my_ticks_and_date_back_on_top_of_the_colleagues(facts_conflict) -> None:
    _a, _id, tab, _actions, dialog, _messages = facts_conflict
    shot(dialog, "facts-conflict-dialog")
    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.hint)))
    assert "Indlæggelsen er ændret af anne.a 23-11-2026 kl. 10:00" in text
    assert dialog.note_button.text() == "&Gem mine" and dialog.reload_button.text() == "&Hent den gemte"
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert labels == [
        "Vil ikke selv søge behandling (§ 13 a, stk. 2)",
        "Planlagt udskrivning",
    ]  # A's tick is not B's change: not listed
    assert dialog.table.item(1, 1).text() == "04-12-2026" and dialog.table.item(1, 2).text() == "(tom)"
    # The tab: A's tick (reloaded) and B's tick and date (put back), not saved yet.
    assert tab.fact_checks["afsnit_v_support"].isChecked()
    assert tab.fact_checks["wont_seek_help"].isChecked()
    assert tab.planned.value() == date(2026, 12, 4)
    assert tab.save_facts_button.isEnabled()


def test_facts_gem_mine_saves_both_users_values(qtbot, facts_conflict) -> None:
    a, admission_id, tab, actions, dialog, messages = facts_conflict
    click(qtbot, dialog.note_button)
    qtbot.waitUntil(lambda: actions.conflict_dialog is None)
    stored = a.plans.panel(admission_id).admission
    assert stored.plan_facts == PlanFacts(afsnit_v_support=True, wont_seek_help=True)
    assert stored.planned_discharge == date(2026, 12, 4)
    assert messages and "gemt" in messages[-1]
    assert not tab.save_facts_button.isEnabled()


def test_facts_hent_den_gemte_shows_the_colleagues(qtbot, facts_conflict) -> None:
    a, admission_id, tab, actions, dialog, messages = facts_conflict
    click(qtbot, dialog.reload_button)
    qtbot.waitUntil(lambda: actions.conflict_dialog is None)
    assert tab.fact_checks["afsnit_v_support"].isChecked()
    assert not tab.fact_checks["wont_seek_help"].isChecked()
    assert tab.planned.value() is None
    assert a.plans.panel(admission_id).admission.plan_facts == PlanFacts(afsnit_v_support=True)
    assert "kasseret" in messages[-1]


def test_facts_annuller_keeps_my_values_on_the_tab_and_saves_nothing(qtbot, facts_conflict) -> None:
    a, admission_id, tab, actions, dialog, messages = facts_conflict
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: actions.conflict_dialog is None)
    assert tab.fact_checks["wont_seek_help"].isChecked() and tab.planned.value() == date(2026, 12, 4)
    assert a.plans.panel(admission_id).admission.plan_facts == PlanFacts(afsnit_v_support=True)
    assert "Intet er gemt" in messages[-1]
    click(qtbot, tab.save_facts_button)  # now on top of A's version: saved without asking again
    assert actions.conflict_dialog is None
    assert a.plans.panel(admission_id).admission.plan_facts == PlanFacts(afsnit_v_support=True, wont_seek_help=True)


def test_a_kladde_put_in_force_meanwhile_takes_my_text_as_a_new_version_to_issue(qtbot, workstations) -> None:
    a, b, admission_id = workstations
    plan = a.plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    editor_b = editor_on(qtbot, b, admission_id)
    qtbot.keyClicks(editor_b.form.goals, "Passe sin medicin selv")
    complete = dataclasses.replace(
        plan.content,
        parties=tuple(dataclasses.replace(p, name=p.name or "Fiktiv Person") for p in plan.content.parties),
        treatment_offers=(Offer("Ambulant opfølgning", "Distriktspsykiatrien"),),
        overlaege="Fiktiv Overlæge",
        reaction_who="Kontaktpersonen",
        reaction_how="Ringer samme dag",
        end=date(2027, 5, 28),
        patient_agrees=True,
        patient_agreed_on=TODAY,
    )
    a.plans.activate(plan.id or 0, complete, expected_version=plan.version or 0)
    click(qtbot, editor_b.save_button)
    dialog = editor_b.conflict_dialog
    assert dialog is not None and dialog.note_button.text() == "Ret den gemte med &min tekst"
    click(qtbot, dialog.note_button)
    qtbot.waitUntil(lambda: editor_b.conflict_dialog is None)
    assert editor_b.in_force and not editor_b.read_only  # revising the plan in force
    assert editor_b.form.goals.toPlainText() == "Passe sin medicin selv"
    assert editor_b.form.reaction_who.text() == "Kontaktpersonen"  # A's text kept where B typed nothing
    assert "Udsted ny version" in editor_b.ok_label.text()


def test_in_the_main_window_a_facts_conflict_asks_and_puts_my_tick_back(main_window, qtbot) -> None:
    """The same through the main window's wiring (replaces test_plans_ui's old "refused and reloaded" test)."""
    model, plans = main_window.patients_tab.model, main_window.services.plans
    admission_id = next(
        r.admission_id
        for r in (model.row_at(i) for i in range(model.rowCount()))
        if r.discharged is None and not plans.panel(r.admission_id).admission.plan_facts.wont_seek_help
    )
    assert main_window.patients_tab.select_admission(admission_id)
    tab = main_window.patients_tab.details.plan_tab
    main_window.patients_tab.details.tabs.setCurrentWidget(tab)
    click(qtbot, tab.fact_checks["wont_seek_help"])
    other = plans.panel(admission_id).admission  # a colleague sets the planned discharge meanwhile
    plans.set_facts(admission_id, other.plan_facts, date(2026, 11, 24), expected_version=other.version or 0)
    click(qtbot, tab.save_facts_button)
    dialog = main_window.patients_tab.plan_actions.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    tab = main_window.patients_tab.details.plan_tab
    assert tab.fact_checks["wont_seek_help"].isChecked()  # mine, put back on top …
    assert tab.planned.value() == date(2026, 11, 24)  # … of what the colleague saved
    click(qtbot, dialog.note_button)
    qtbot.waitUntil(lambda: main_window.patients_tab.plan_actions.conflict_dialog is None)
    stored = main_window.services.plans.panel(admission_id).admission
    assert stored.plan_facts.wont_seek_help and stored.planned_discharge == date(2026, 11, 24)
