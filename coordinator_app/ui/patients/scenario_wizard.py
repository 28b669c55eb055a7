"""Scenario wizard (A1, B1–B5, B8, F1): one question per page, the plan it gives, saved on "Gem vurdering".

The pages ask only what ``scenarios.decide`` needs; which page follows which answer is the domain's
``ScenarioChoices.next_question`` (QWizard's ``nextId``). The plan page shows ``ScenarioService.preview``;
Finish calls ``ScenarioService.assess``. An error from the service is shown in Danish on the plan page and the
wizard stays open with every answer kept.

Re-running (e.g. after an afmelding, B7) starts from the admission's stored answers, flags and date.

This module holds the wizard (the order of the pages, the answers it gathers); the pages are in
``scenario_pages`` (the questions) and ``scenario_plan_page`` (the plan).
"""

from __future__ import annotations

import functools
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from coordinator_app.domain.scenarios import Question, ScenarioChoices, expected_judged_by
from coordinator_app.domain.special_groups import contact_kommune
from coordinator_app.services.admissions import AdmissionDetails, Changes
from coordinator_app.services.scenario import ScenarioAssessment, ScenarioService
from coordinator_app.ui.patients.scenario_pages import ChoicePage, ConsentPage, ExpectedPage, FlagsPage
from coordinator_app.ui.patients.scenario_plan_page import PlanPage

PAGE_INDSATS, PAGE_NEED, PAGE_SUPPORT, PAGE_DISCHARGE, PAGE_EXPECTED, PAGE_FLAGS, PAGE_CONSENT, PAGE_PLAN = range(8)
#: The page that asks each question.
QUESTION_PAGES = {
    Question.HAS_INDSATS: PAGE_INDSATS,
    Question.NEED_GREATER: PAGE_NEED,
    Question.MAY_NEED_SUPPORT: PAGE_SUPPORT,
    Question.CAN_DISCHARGE_BEFORE_SUPPORT: PAGE_DISCHARGE,
}


class ScenarioWizard(QWizard):
    """Vurder scenarie: the answers ``ScenarioService`` needs, one question per page, then the plan."""

    assessed = Signal(object)  # Changes, after a successful "Gem vurdering"

    def __init__(
        self,
        service: ScenarioService,
        details: AdmissionDetails,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert details.admission.id is not None
        self.service = service
        self.details = details
        self.admission_id: int = details.admission.id
        self.today = today
        self.changes: Changes | None = None
        self.setWindowTitle(f"Vurder scenarie – {details.patient.name}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(680, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Næste >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Tilbage")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annuller")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Gem vurdering")

        self.indsats_page = ChoicePage(
            "Har patienten en kommunal indsats i dag? (A1)",
            "A1: Spørg ved indlæggelsen, om patienten får kommunal støtte (fx bostøtte, botilbud eller "
            "støttekontaktperson). Har patienten en indsats, eller kan der blive behov, adviseres kommunen, "
            "så snart det er afklaret.",
            "&Ja, patienten har en kommunal indsats",
            "N&ej, ingen kommunal indsats",
        )
        self.need_page = ChoicePage(
            "Er behovet ved udskrivning uændret eller større? (B1/B2)",
            "B1: uændret behov – kommunen orienteres ved indlæggelsen og om udskrivningen; der varsles ikke. "
            "B2: større behov – kontakt kommunen straks om det større behov; derefter B4 eller B5.",
            yes="&Større behov – scenarie 2 (B2)",
            no="&Uændret behov – scenarie 1 (B1)",
            yes_first=False,
        )
        self.support_page = ChoicePage(
            "Kan patienten få brug for støtte efter udskrivning? (B3)",
            "B3: vurderer I, at patienten kan få brug for støtte, kontaktes kommunen hurtigst muligt efter "
            "indlæggelsen, så sagsbehandlingen kan begynde. Forventes intet behov, er der ingen tværsektoriel "
            "meldepligt – børn (A4), netværksmøder (C) og udskrivningsaftaler (E) gælder stadig.",
            "&Ja, kan få brug for støtte – scenarie 3 (B3)",
            "N&ej, intet behov forventes – intet scenarie",
        )
        varsling = service.rules.rule("varsling").description
        self.discharge_page = ChoicePage(
            "Kan patienten udskrives, før indsatsen er på plads? (B4/B5)",
            "B4: kan udskrives, selv om indsatsen ikke er på plads – ingen varsling og ingen færdigmelding; "
            "kommunen orienteres om udskrivningen. "
            f"B5: {varsling[0].lower()}{varsling[1:]} (varslingsblanket), færdigmelding når patienten "
            "efter lægelig vurdering er færdigbehandlet; fra færdigmeldingen betaler kommunen pr. sengedag.",
            "&Ja, kan udskrives før indsatsen er på plads (B4)",
            "N&ej, skal vente på indsatsen (B5)",
        )
        self.expected_page = ExpectedPage(self, today)
        self.flags_page = FlagsPage(self)
        self.consent_page = ConsentPage(self, today)
        self.plan_page = PlanPage(self)

        questions = {
            Question.HAS_INDSATS: self.indsats_page,
            Question.NEED_GREATER: self.need_page,
            Question.MAY_NEED_SUPPORT: self.support_page,
            Question.CAN_DISCHARGE_BEFORE_SUPPORT: self.discharge_page,
        }
        for question, choice_page in questions.items():
            self.setPage(QUESTION_PAGES[question], choice_page)
            choice_page.next_page = functools.partial(self._after, question)
        for page_id, page in (
            (PAGE_EXPECTED, self.expected_page),
            (PAGE_FLAGS, self.flags_page),
            (PAGE_CONSENT, self.consent_page),
            (PAGE_PLAN, self.plan_page),
        ):
            self.setPage(page_id, page)
        self.expected_page.next_page = lambda: PAGE_FLAGS
        self.flags_page.next_page = lambda: PAGE_CONSENT
        self.consent_page.next_page = lambda: PAGE_PLAN
        self.setStartId(PAGE_INDSATS)
        self._prefill(details)

    def _after(self, question: Question) -> int:
        """The page after ``question``: the next question the domain asks, else the expected date."""
        following = self.choices().next_question(question)
        return PAGE_EXPECTED if following is None else QUESTION_PAGES[following]

    # -- answers -------------------------------------------------------------------------------------
    def _prefill(self, details: AdmissionDetails) -> None:
        """The stored answers (``None``: the question was not asked then), flags, date and who judged it."""
        a = details.admission
        stored = ScenarioChoices.stored(a.scenario_answers, a.scenario)
        self.indsats_page.set_value(stored.has_indsats)
        self.need_page.set_value(stored.need_greater)
        self.support_page.set_value(stored.may_need_support)
        self.discharge_page.set_value(stored.can_discharge_before_support)
        self.expected_page.date.set_value(a.expected_faerdigbehandlet)
        self.expected_page.judged_by.setText(expected_judged_by(a.expected_faerdigbehandlet, details.events))
        self.flags_page.set_flags(a.flags)

    def choices(self) -> ScenarioChoices:
        """The answers to the scenario questions as the pages hold them now."""
        return ScenarioChoices(
            has_indsats=self.indsats_page.value(),
            need_greater=self.need_page.value(),
            may_need_support=self.support_page.value(),
            can_discharge_before_support=self.discharge_page.value(),
        )

    def contact_kommune_name(self) -> str:
        """The kommune the consent is prefilled for: the one the center contacts (A5, B5)."""
        a = self.details.admission
        code = contact_kommune(a, homeless=self.flags_page.boxes["homeless"].isChecked())
        if code is None:
            return ""
        if code == a.bopaelskommune and self.details.kommune is not None:
            return self.details.kommune.name
        return self.details.kommune_name(code)

    def assessment(self) -> ScenarioAssessment:
        return ScenarioAssessment.from_choices(
            self.choices(),
            expected_faerdigbehandlet=self.expected_page.date.value(),
            judged_by=self.expected_page.judged_by.text(),
            flags=self.flags_page.flags(),
            consent=self.consent_page.consent(),
        )


def open_scenario_wizard(
    parent: QWidget | None, service: ScenarioService, details: AdmissionDetails, today: date
) -> ScenarioWizard:
    """Open the wizard window-modally and return it; ``assessed`` (and ``changes``) after "Gem vurdering"."""
    wizard = ScenarioWizard(service, details, today, parent)
    wizard.open()
    return wizard
