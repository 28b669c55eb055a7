"""The scenario wizard (A1, B1–B5, B8, F1) driven through its real widgets on a demo database.

Each test admits its own fictitious patient through ``AdmissionService`` so the answers start empty and
the kommuner are known; the wizard is then clicked and typed through like a coordinator would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QWizard

from coordinator_app.domain.model import AdmissionFlags, ConsentMethod, ConsentRecipient, EventKind
from coordinator_app.services.admissions import AdmissionDetails, AdmissionInput, AdmissionService
from coordinator_app.services.consent import ConsentService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.scenario import ScenarioService
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.patients.scenario_pages import _Page
from coordinator_app.ui.patients.scenario_plan_page import NO_DATE
from coordinator_app.ui.patients.scenario_wizard import (
    PAGE_CONSENT,
    PAGE_DISCHARGE,
    PAGE_EXPECTED,
    PAGE_FLAGS,
    PAGE_INDSATS,
    PAGE_NEED,
    PAGE_PLAN,
    PAGE_SUPPORT,
    ScenarioWizard,
    open_scenario_wizard,
)

#: The demo ward's day (tests/ui/conftest.py): Monday 23 November 2026, 10:00 in Copenhagen.
DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
ADMITTED = date(2026, 11, 16)
GENTOFTE, FREDERIKSBERG = "157", "147"


@dataclass
class Services:
    admissions: AdmissionService
    scenario: ScenarioService
    consent: ConsentService

    def admit(self, cpr: str, *, flags: AdmissionFlags | None = None, ophold: str | None = None) -> int:
        changes = self.admissions.create_admission(
            AdmissionInput(
                cpr=cpr,
                given_name="Testa",
                family_name="Fiktivsen",
                bopaelskommune=GENTOFTE,
                opholdskommune=ophold,
                center="Psykiatrisk Center København",
                ward="Afsnit 7",
                admitted=ADMITTED,
                flags=flags or AdmissionFlags(),
            )
        )
        assert changes.admission_id is not None
        return changes.admission_id

    def details(self, admission_id: int) -> AdmissionDetails:
        return self.admissions.details(admission_id)


@pytest.fixture
def services(qapp, demo_db_path: Path) -> Iterator[Services]:
    from coordinator_app.storage.database import open_database
    from coordinator_app.ui.shell.app import install_danish

    install_danish(qapp)  # as the app does: Danish locale and Qt's own Danish strings
    db = open_database(f"sqlite:///{demo_db_path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT))
    yield Services(AdmissionService(ctx), ScenarioService(ctx), ConsentService(ctx))
    db.dispose()


#: The plan's recipient cells: the kommune, its role, and its F3 entrance (the demo gives its region's kommuner one).
GENTOFTE_CELL = "Gentofte (bopælskommune)\nSikker mail: sikkerpost.gentofte@kommune.example"
FREDERIKSBERG_CELL = "Frederiksberg (opholdskommune)\nSikker mail: sikkerpost.frederiksberg@kommune.example"


def open_wizard(qtbot, services: Services, admission_id: int) -> ScenarioWizard:
    wizard = open_scenario_wizard(None, services.scenario, services.details(admission_id), TODAY)
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()  # offscreen does not activate a new window by itself; focus and shortcuts need it
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def click(qtbot, widget) -> None:
    """Click a button; a radio button or check box on its indicator (the label ends before the widget does)."""
    if isinstance(widget, QAbstractButton) and widget.isCheckable() and not isinstance(widget, QPushButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def answer(qtbot, page, text: str) -> None:
    """Click the answer whose label (without the mnemonic &) starts with ``text``."""
    (button,) = [b for b in page.group.buttons() if b.text().replace("&", "").startswith(text)]
    click(qtbot, button)
    assert button.isChecked()


def press_next(qtbot, wizard: ScenarioWizard) -> None:
    before = wizard.currentId()
    page = wizard.currentPage()
    assert isinstance(page, _Page)
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentId() != before, page.error.text()


def type_date(qtbot, field, value: date) -> None:
    """Tab into the date (selects the day section) and type the digits: dd, mm, åååå advance by themselves."""
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(field, f"{value:%d%m%Y}")
    assert field.value() == value


def finish(qtbot, wizard: ScenarioWizard) -> None:
    assert wizard.currentId() == PAGE_PLAN
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))


def plan_rows(wizard: ScenarioWizard) -> list[tuple[str, ...]]:
    table = wizard.plan_page.table
    return [tuple(cell(table, r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def through_to_plan(qtbot, wizard: ScenarioWizard) -> None:
    """From the expected-date page on: keep the prefilled flags, no new consent."""
    while wizard.currentId() != PAGE_PLAN:
        press_next(qtbot, wizard)


# -- the four outcomes -----------------------------------------------------------------------------------


def test_scenario_1_unchanged_need_gives_orientering_and_no_varsling(qtbot, services: Services) -> None:
    admission_id = services.admit("0101709999")
    wizard = open_wizard(qtbot, services, admission_id)
    assert wizard.windowTitle() == "Vurder scenarie – Testa Fiktivsen"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing answered yet
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_NEED
    answer(qtbot, wizard.need_page, "Uændret behov")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_EXPECTED  # no B4/B5 question in scenario 1
    assert "valgfri" in wizard.currentPage().title()
    through_to_plan(qtbot, wizard)
    assert wizard.visitedIds() == [PAGE_INDSATS, PAGE_NEED, PAGE_EXPECTED, PAGE_FLAGS, PAGE_CONSENT, PAGE_PLAN]
    assert wizard.plan_page.scenario_label.text() == "Scenarie 1: har indsats, uændret behov"
    rows = plan_rows(wizard)
    assert [r[0] for r in rows] == ["Orientering/kontakt til kommunen", "Orientering om udskrivning"]
    assert rows[0][1] == f"{ADMITTED:%d-%m-%Y}" and rows[1][1] == NO_DATE
    assert all(r[2] == GENTOFTE_CELL for r in rows)
    assert [r[3] for r in rows] == ["B1", "B1"]

    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.changes is not None and wizard.changes.admission_id == admission_id
    stored = services.details(admission_id)
    assert stored.admission.scenario == 1
    assert stored.admission.scenario_answers["has_indsats"] is True
    assert stored.admission.scenario_answers["need_greater"] is False
    assessed = [e for e in stored.events if e.kind is EventKind.SCENARIO_ASSESSED]
    assert len(assessed) == 1 and assessed[0].data["scenario"] == 1


def test_scenario_2_b5_varsling_8_days_before_faerdigbehandlet_judged_by_a_doctor(qtbot, services: Services) -> None:
    admission_id = services.admit("0202809999")
    wizard = open_wizard(qtbot, services, admission_id)
    emitted: list[object] = []
    wizard.assessed.connect(emitted.append)
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.need_page, "Større behov")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DISCHARGE
    assert "8 dage før færdigbehandlet" in wizard.discharge_page.guidance.text()
    answer(qtbot, wizard.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, wizard)
    page = wizard.expected_page
    assert page.title() == "Hvornår forventes patienten færdigbehandlet? (B5)"
    click(qtbot, page.date.check)
    type_date(qtbot, page.date.edit, date(2026, 12, 16))
    qtbot.keyClicks(page.judged_by, "Overlæge Fiktiv Hansen")
    through_to_plan(qtbot, wizard)

    assert wizard.plan_page.scenario_label.text() == "Scenarie 2: har indsats, større behov"
    assert "B5" in wizard.plan_page.branch_label.text()
    rows = {r[0]: r for r in plan_rows(wizard)}
    assert rows["Varsling (varslingsblanket)"][1:] == ("08-12-2026", GENTOFTE_CELL, "B5")
    assert rows["Færdigmelding"][1] == "16-12-2026"
    assert rows["Netværksmøde"][1:] == (NO_DATE, GENTOFTE_CELL, "C2")
    assert rows["Orientering/kontakt til kommunen"][3] == "B2"

    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert emitted == [wizard.changes]
    stored = services.details(admission_id)
    assert stored.admission.scenario == 2
    assert stored.admission.expected_faerdigbehandlet == date(2026, 12, 16)
    assert stored.admission.scenario_answers["branch"] == "B5"
    kinds = [e.kind for e in stored.events]
    assert EventKind.SCENARIO_ASSESSED in kinds
    judged = [e for e in stored.events if e.kind is EventKind.EXPECTED_FAERDIGBEHANDLET]
    assert judged[-1].data == {"date": "2026-12-16", "by": "Overlæge Fiktiv Hansen"}


def test_scenario_3_b4_orientering_about_discharge_without_varsling(qtbot, services: Services) -> None:
    admission_id = services.admit("0303809999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_SUPPORT
    answer(qtbot, wizard.support_page, "Ja, kan få brug for støtte")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.discharge_page, "Ja, kan udskrives før indsatsen er på plads")
    press_next(qtbot, wizard)
    through_to_plan(qtbot, wizard)
    assert wizard.plan_page.scenario_label.text() == "Scenarie 3: ingen indsats, kan få behov"
    rows = plan_rows(wizard)
    assert [(r[0], r[3]) for r in rows] == [
        ("Orientering/kontakt til kommunen", "B3"),
        ("Orientering om udskrivning", "B4"),
    ]
    assert not any("Varsling" in r[0] or "Færdigmelding" in r[0] for r in rows)
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    stored = services.details(admission_id)
    assert (stored.admission.scenario, stored.admission.scenario_answers["branch"]) == (3, "B4")


def test_no_indsats_and_no_need_gives_no_scenario(qtbot, services: Services) -> None:
    admission_id = services.admit("0404809999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.support_page, "Nej, intet behov forventes")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_EXPECTED
    through_to_plan(qtbot, wizard)
    assert wizard.plan_page.scenario_label.text() == "Intet scenarie: ingen indsats og intet behov"
    assert wizard.plan_page.table.rowCount() == 0
    assert not wizard.plan_page.table.isVisible()
    assert "A4" in wizard.plan_page.branch_label.text()
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    stored = services.details(admission_id)
    assert stored.admission.scenario is None
    assert any(e.kind is EventKind.SCENARIO_ASSESSED for e in stored.events)


# -- recipients, errors, re-running ----------------------------------------------------------------------


def test_homeless_patient_is_notified_through_the_opholdskommune(qtbot, services: Services) -> None:
    """A5/B5: no handlekommune known, so contact, varsling and færdigmelding go to the opholdskommune."""
    admission_id = services.admit("0505809999", flags=AdmissionFlags(homeless=True), ophold=FREDERIKSBERG)
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.support_page, "Ja, kan få brug for støtte")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)  # no date yet
    assert wizard.flags_page.boxes["homeless"].isChecked()  # prefilled from the admission
    assert not wizard.flags_page.homeless_warning.isVisible()
    press_next(qtbot, wizard)
    assert wizard.consent_page.given_to.text() == "Frederiksberg Kommune"
    press_next(qtbot, wizard)
    rows = plan_rows(wizard)
    assert rows and all(r[2] == FREDERIKSBERG_CELL for r in rows)
    assert "varslingsfristen ikke beregnes" in wizard.plan_page.notes.text()
    wizard.reject()


def test_date_without_judged_by_is_refused_in_danish_and_nothing_is_lost(qtbot, services: Services) -> None:
    admission_id = services.admit("0606809999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.need_page, "Større behov")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, wizard)
    page = wizard.expected_page
    click(qtbot, page.date.check)
    type_date(qtbot, page.date.edit, date(2026, 12, 10))
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.isVisible()
    assert wizard.currentId() == PAGE_EXPECTED
    assert page.error.isVisible()
    assert page.error.text() == "⚠ Lægens navn skal udfyldes. Færdigbehandlet er en lægelig vurdering (B5)."
    assert page.date.value() == date(2026, 12, 10)
    assert wizard.focusWidget() is page.judged_by
    qtbot.keyClicks(page.judged_by, "Læge Fiktiv")
    press_next(qtbot, wizard)
    assert not page.error.isVisible()
    assert services.details(admission_id).admission.scenario is None  # nothing saved before Finish


def test_a_refusal_on_finish_is_shown_on_the_plan_page_and_the_wizard_stays_open(qtbot, services: Services) -> None:
    """Homeless without an opholdskommune: ``assess`` refuses (A5); the answers stay for a second try."""
    admission_id = services.admit("0707809999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.need_page, "Uændret behov")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    click(qtbot, wizard.flags_page.boxes["homeless"])
    assert wizard.flags_page.homeless_warning.isVisible()
    through_to_plan(qtbot, wizard)
    assert "Opholdskommune – ikke registreret" in {r[2] for r in plan_rows(wizard)}
    finish(qtbot, wizard)
    assert wizard.isVisible() and wizard.currentId() == PAGE_PLAN
    error = wizard.plan_page.error
    assert error.isVisible()
    assert "hjemløs patient skal have en opholdskommune" in error.text()
    assert "siden »Særlige forhold«" in error.text()
    assert "Traceback" not in error.text()
    assert wizard.changes is None
    assert services.details(admission_id).admission.scenario is None
    # Nothing lost: back to the flags, untick, and save.
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    assert wizard.currentId() == PAGE_FLAGS
    assert wizard.indsats_page.value() is True and wizard.need_page.value() is False
    click(qtbot, wizard.flags_page.boxes["homeless"])
    through_to_plan(qtbot, wizard)
    assert not wizard.plan_page.error.isVisible()
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert services.details(admission_id).admission.scenario == 1


def test_rerunning_prefills_the_previous_answers(qtbot, services: Services) -> None:
    admission_id = services.admit("0808809999", flags=AdmissionFlags(misbrug=True))
    first = open_wizard(qtbot, services, admission_id)
    answer(qtbot, first.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, first)
    answer(qtbot, first.support_page, "Ja, kan få brug for støtte")
    press_next(qtbot, first)
    answer(qtbot, first.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, first)
    click(qtbot, first.expected_page.date.check)
    type_date(qtbot, first.expected_page.date.edit, date(2026, 12, 18))
    qtbot.keyClicks(first.expected_page.judged_by, "Overlæge Fiktiv Berg")
    press_next(qtbot, first)
    click(qtbot, first.flags_page.boxes["children"])
    through_to_plan(qtbot, first)
    finish(qtbot, first)
    qtbot.waitUntil(lambda: not first.isVisible())

    again = open_wizard(qtbot, services, admission_id)  # e.g. after an afmelding (B7)
    assert again.indsats_page.value() is False
    assert again.support_page.value() is True
    assert again.discharge_page.value() is False
    assert again.expected_page.date.value() == date(2026, 12, 18)
    assert again.expected_page.judged_by.text() == "Overlæge Fiktiv Berg"
    assert again.flags_page.flags() == AdmissionFlags(misbrug=True, children=True)
    assert again.button(QWizard.WizardButton.NextButton).isEnabled()
    through_to_plan(qtbot, again)  # every page already answered
    assert again.visitedIds() == [
        PAGE_INDSATS,
        PAGE_SUPPORT,
        PAGE_DISCHARGE,
        PAGE_EXPECTED,
        PAGE_FLAGS,
        PAGE_CONSENT,
        PAGE_PLAN,
    ]
    assert again.plan_page.scenario_label.text().startswith("Scenarie 3")
    again.reject()


def test_wants_to_leave_shows_the_b8_consent_warning(qtbot, services: Services) -> None:
    admission_id = services.admit("0909809999", flags=AdmissionFlags(wants_to_leave=True))
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.need_page, "Større behov")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_CONSENT
    warning = wizard.consent_page.b8_warning
    assert warning.isVisible()
    assert "B8" in warning.text() and "samtykke" in warning.text()
    assert "udskrivningsaftale eller en koordinationsplan" in warning.text()
    assert not wizard.consent_page.given_to.isEnabled()  # "Intet nyt samtykke" by default
    press_next(qtbot, wizard)
    assert "B8" in wizard.plan_page.notes.text()
    wizard.reject()


def test_consent_given_now_is_recorded_with_what_to_whom_and_how(qtbot, services: Services) -> None:
    """F1: the consent page records what, to whom, when and how, together with the assessment."""
    admission_id = services.admit("1301819999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.need_page, "Uændret behov")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    page = wizard.consent_page
    assert not page.b8_warning.isVisible()
    click(qtbot, page.written)
    assert page.given_to.isEnabled()
    assert page.given_to.text() == "Gentofte Kommune"  # the kommune the center contacts
    assert page.scope.text() == "Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning"
    type_date(qtbot, page.given_on, date(2026, 11, 20))
    page.given_to.clear()
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentId() == PAGE_CONSENT
    assert "Hvem samtykket gælder skal udfyldes" in page.error.text()
    assert wizard.focusWidget() is page.given_to
    qtbot.keyClicks(page.given_to, "Gentofte Kommune, Socialforvaltningen")
    press_next(qtbot, wizard)
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())

    patient_id = services.details(admission_id).patient.id
    assert patient_id is not None
    (consent,) = services.consent.for_patient(patient_id)
    assert consent.recipient is ConsentRecipient.KOMMUNE
    assert consent.method is ConsentMethod.SKRIFTLIGT
    assert consent.given_to == "Gentofte Kommune, Socialforvaltningen"
    assert consent.scope == "Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning"
    assert consent.admission_id == admission_id
    assert consent.given_at.date() == date(2026, 11, 20)
    assert consent.active


def test_no_new_consent_records_nothing(qtbot, services: Services) -> None:
    admission_id = services.admit("1401819999")
    wizard = open_wizard(qtbot, services, admission_id)
    answer(qtbot, wizard.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.support_page, "Ja, kan få brug for støtte")
    press_next(qtbot, wizard)
    answer(qtbot, wizard.discharge_page, "Ja, kan udskrives før indsatsen er på plads")
    through_to_plan(qtbot, wizard)
    assert wizard.consent_page.method() is None
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    patient_id = services.details(admission_id).patient.id
    assert patient_id is not None
    assert services.consent.for_patient(patient_id) == []


# -- keyboard, texts, looks ------------------------------------------------------------------------------


def test_answers_are_reachable_by_alt_mnemonics_and_arrow_keys(qtbot, services: Services) -> None:
    admission_id = services.admit("1010809999")
    wizard = open_wizard(qtbot, services, admission_id)
    page = wizard.indsats_page
    # A mnemonic clicks its button (animated, so wait) and focuses it.
    qtbot.keyClick(wizard, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # N&ej
    qtbot.waitUntil(lambda: page.value() is False)
    assert page.no.hasFocus()
    qtbot.keyClick(page.no, Qt.Key.Key_Up)
    assert page.value() is True and page.yes.hasFocus()
    qtbot.keyClick(page.yes, Qt.Key.Key_Down)
    assert page.value() is False and page.no.hasFocus()
    qtbot.keyClick(wizard, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # &Ja
    qtbot.waitUntil(lambda: page.value() is True)
    qtbot.keyClick(wizard, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # &Næste
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_NEED)
    assert wizard.need_page.no.hasFocus()  # the first answer shown ("Uændret") has the focus
    qtbot.keyClick(wizard, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Større behov
    qtbot.waitUntil(lambda: wizard.need_page.value() is True)
    qtbot.keyClick(wizard, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_DISCHARGE)
    qtbot.keyClick(wizard, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # < &Tilbage
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_NEED)
    wizard.reject()


def test_buttons_and_texts_are_danish(qtbot, services: Services) -> None:
    wizard = open_wizard(qtbot, services, services.admit("1111809999"))
    button = QWizard.WizardButton
    assert wizard.buttonText(button.NextButton) == "&Næste >"
    assert wizard.buttonText(button.BackButton) == "< &Tilbage"
    assert wizard.buttonText(button.CancelButton) == "Annuller"
    assert wizard.buttonText(button.FinishButton) == "&Gem vurdering"
    assert wizard.minimumWidth() >= 640
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert isinstance(page, _Page) and page.title()
        assert page.guidance.wordWrap()
    wizard.reject()


def test_each_page_renders(qtbot, services: Services, tmp_path: Path) -> None:
    """All eight pages drawn offscreen, via both first answers, the B5 path and a consent being given."""
    admission_id = services.admit("1212809999", flags=AdmissionFlags(wants_to_leave=True))
    wizard = open_wizard(qtbot, services, admission_id)
    shots: list[Path] = []

    def grab(name: str) -> None:
        QApplication.processEvents()
        path = tmp_path / f"wizard-{len(shots) + 1}-{name}.png"
        assert wizard.grab().save(str(path))
        shots.append(path)

    grab("indsats")
    answer(qtbot, wizard.indsats_page, "Nej, ingen kommunal indsats")
    press_next(qtbot, wizard)
    grab("stoette")
    answer(qtbot, wizard.support_page, "Ja, kan få brug for støtte")
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    answer(qtbot, wizard.indsats_page, "Ja, patienten har en kommunal indsats")
    press_next(qtbot, wizard)
    grab("behov")
    answer(qtbot, wizard.need_page, "Større behov")
    press_next(qtbot, wizard)
    grab("udskrivning")
    answer(qtbot, wizard.discharge_page, "Nej, skal vente på indsatsen")
    press_next(qtbot, wizard)
    click(qtbot, wizard.expected_page.date.check)
    qtbot.keyClicks(wizard.expected_page.judged_by, "Overlæge Fiktiv Holm")
    grab("faerdigbehandlet")
    press_next(qtbot, wizard)
    grab("saerlige-forhold")
    press_next(qtbot, wizard)
    click(qtbot, wizard.consent_page.oral)
    grab("samtykke")
    wizard.consent_page.none.setChecked(True)
    press_next(qtbot, wizard)
    grab("plan")
    assert len(shots) == 8
    assert all(p.stat().st_size > 5_000 for p in shots)
    wizard.reject()
