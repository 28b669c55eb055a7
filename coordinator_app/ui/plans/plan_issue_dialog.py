"""Sæt i kraft og skriv ud / Udsted ny version og skriv ud (E1–E3): what the archived PDF must say about who is
responsible and how the copies go, asked as the plan is issued.

* **Ansvarlig overlæge**: the name printed in the signature box (prefilled from the plan). The domain requires it
  (``discharge_plans.check_complete``); *Sæt i kraft* is refused here with its Danish message, which names the
  agreement's section, and the dialog stays open.
* **Sendes til**: each recipient of the plan's "Sendt til" (else egen læge and the kommune from the parties), ticked,
  sent today by the channel used last time or the usual one (``discharge_plans.sendings_for_issue``); untick a
  recipient whose copy does not go now, change the day or the channel. A day after today or a ticked copy without
  a channel is refused (``discharge_plans.check_sendings``).

An archived PDF is never changed, so the sending is recorded on the version being issued; a later resend is a new
version (Ret og udsted ny version), whose PDF lists the earlier sendings too. ``content()`` is the plan with the
name and the sendings; the editor (``plan_editor``) issues it.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import (
    SEND_CHANNEL_LABELS,
    PlanContent,
    PlanKind,
    SentTo,
    check_complete,
    check_sendings,
    send_channel,
    sendings_for_issue,
)
from coordinator_app.ui.common.safe_text import mnemonic_free, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField
from coordinator_app.ui.plans.plan_form_parts import DEFINITE


class _Recipient:
    """One row of Sendes til: ticked (goes now), the day, the channel."""

    def __init__(self, sending: SentTo, today: date) -> None:
        self.sending = sending
        self.send = QCheckBox(mnemonic_free(sending.recipient))
        self.send.setChecked(True)
        self.day = DateField(sending.sent_on or today)
        self.day.setAccessibleName(f"Sendt dato til {sending.recipient}")
        self.channel = QComboBox()
        self.channel.setAccessibleName(f"Hvordan til {sending.recipient}")
        for channel, label in SEND_CHANNEL_LABELS.items():
            self.channel.addItem(label, channel.value)
        if sending.channel is not None:
            self.channel.setCurrentIndex(list(SEND_CHANNEL_LABELS).index(sending.channel))
        self.epikrise = plain_label("med epikrise" if sending.with_epikrise else "")
        self.send.toggled.connect(self.day.setEnabled)
        self.send.toggled.connect(self.channel.setEnabled)

    def value(self) -> SentTo:
        if not self.send.isChecked():  # listed, not sent with this version
            return dataclasses.replace(self.sending, sent_on=None)
        channel = send_channel(self.channel.currentData())
        return dataclasses.replace(self.sending, sent_on=self.day.value(), channel=channel)


class PlanIssueDialog(QDialog):
    """The overlæge's name and how each copy goes; accepted only when the domain has nothing against them."""

    def __init__(
        self,
        kind: PlanKind,
        content: PlanContent,
        *,
        today: date,
        revising: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self._content = content
        self._today = today
        verb = "Udsted ny version og skriv ud" if revising else "Sæt i kraft og skriv ud"
        self.setWindowTitle(verb)
        self.setMinimumWidth(640)
        the = DEFINITE[kind]
        intro = text_label(
            f"{the.capitalize()} arkiveres som PDF under Dokumenter og vises til udskrift. Navnet på den ansvarlige "
            "overlæge og hvornår og hvordan hver kopi sendes, står på den arkiverede PDF."
        )

        self.overlaege = QLineEdit(content.overlaege)
        self.overlaege.setPlaceholderText("Fornavn og efternavn")
        form = QFormLayout()
        form.addRow(buddy_label("Ansvarlig o&verlæge:", self.overlaege), self.overlaege)

        self.recipients = [_Recipient(s, today) for s in sendings_for_issue(content, today)]
        sent_box = QGroupBox("Sendes til")
        box_layout = QVBoxLayout(sent_box)
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        grid.setVerticalSpacing(6)
        if self.recipients:
            box_layout.addWidget(text_label("Fjern fluebenet ved en modtager, hvis kopien ikke sendes nu.", MUTED))
            for col, header in enumerate(("Modtager", "Sendt", "Hvordan")):
                label = plain_label(header)
                label.setStyleSheet(MUTED)
                grid.addWidget(label, 0, col)
            for row, r in enumerate(self.recipients, start=1):
                grid.addWidget(r.send, row, 0)
                grid.addWidget(r.day, row, 1)
                grid.addWidget(r.channel, row, 2)
                grid.addWidget(r.epikrise, row, 3)
        else:
            box_layout.addWidget(
                text_label("Ingen modtagere. Tilføj dem under «Sendt til» i planen, fx egen læge og kommunen.", MUTED)
            )
        box_layout.addLayout(grid)

        self.error_label = text_label(style=ERROR_STYLE)
        self.error_label.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue_button = buttons.addButton(verb.replace("skriv", "&skriv"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(sent_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.overlaege.textEdited.connect(lambda _text: self.error_label.setVisible(False))

    def showEvent(self, event: QShowEvent) -> None:
        """The cursor in the overlæge's name when it is missing; else on the button (Enter issues)."""
        super().showEvent(event)
        (self.overlaege if not self.overlaege.text().strip() else self.issue_button).setFocus()

    def content(self) -> PlanContent:
        """The plan with the overlæge's name and this issue's sendings."""
        return dataclasses.replace(
            self._content,
            overlaege=self.overlaege.text().strip(),
            sent_to=tuple(r.value() for r in self.recipients),
        )

    def accept(self) -> None:
        """Refused (the domain's Danish message, the dialog stays open) without the overlæge's name or with a
        sending that cannot be; the rest of the plan was checked before the dialog opened."""
        content = self.content()
        problems = [e for e in check_complete(self._kind, content) if e.field == "overlaege"]
        problems += check_sendings(self._kind, content.sent_to, self._today)
        if problems:
            self.error_label.setText(f"⚠ {problems[0].message}")
            self.error_label.setVisible(True)
            if problems[0].field == "overlaege":
                self.overlaege.setFocus()
            return
        super().accept()
