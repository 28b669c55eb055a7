"""The parts ``PlanForm`` (``plan_form``) is built from: the columns of its tables (parties, offers, recipients),
a party's role to and from its table value, a sending's channel, a text box of a few lines, and a titled group box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QPlainTextEdit, QVBoxLayout, QWidget

from coordinator_app.domain.discharge_plans import (
    PARTY_ROLE_LABELS,
    PLAN_DEFINITE,
    SEND_CHANNEL_LABELS,
    PartyRole,
    send_channel,
)
from coordinator_app.ui.plans.plan_tables import Column, Kind

#: "the udskrivningsaftale" / "the koordinationsplan" in Danish, in a sentence (aftale-n, plan-en).
DEFINITE = {kind: definite.lower() for kind, definite in PLAN_DEFINITE.items()}
PARTY_COLUMNS = (
    Column("Rolle", Kind.CHOICE, tooltip="Vælg rollen (dobbeltklik eller F2)"),
    Column("Navn", stretch=True, tooltip="En person, eller enheden når ingen person er udpeget"),
    Column("Organisation / enhed", stretch=True, tooltip="Fx Københavns Kommune, Socialpsykiatrien"),
    Column("Telefon"),
    Column("E-mail", stretch=True),
)
OFFER_COLUMNS = (
    Column("Hvad", stretch=True),
    Column("Ansvarlig", stretch=True, tooltip="Hvem der sørger for tilbuddet (person og enhed)"),
    Column("Fra", Kind.DATE, tooltip="Fra hvornår (dobbeltklik for kalender; Delete rydder)"),
    Column("Bemærkning", stretch=True),
)
SENT_COLUMNS = (
    Column("Modtager", stretch=True, tooltip="Fx egen læge (med epikrisen), kommunen"),
    Column("Sendt", Kind.DATE, tooltip="Hvornår planen blev sendt (Delete rydder)"),
    Column("Med epikrise", Kind.CHECK, tooltip="Sendt sammen med epikrisen (til egen læge)"),
    Column("Hvordan", Kind.CHOICE, tooltip="Sikker post, Digital Post, papir eller udleveret (dobbeltklik eller F2)"),
)


def channel_label(value: Any) -> str:
    channel = send_channel(value)
    return SEND_CHANNEL_LABELS[channel] if channel is not None else ""


def channel_choices() -> list[tuple[str, str]]:
    return [(c.value, label) for c, label in SEND_CHANNEL_LABELS.items()]


def role_label(value: Any) -> str:
    try:
        return PARTY_ROLE_LABELS[PartyRole(value)]
    except ValueError:
        return str(value)


def party_role(value: Any) -> PartyRole:
    try:
        return PartyRole(value)
    except ValueError:
        return PartyRole.ANDEN


def text_edit(placeholder: str, lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    # A fixed height of a few lines: the page scrolls, not a half-empty box (longer text scrolls inside).
    margins = edit.contentsMargins()
    frame = 2 * edit.frameWidth() + margins.top() + margins.bottom() + 2 * int(edit.document().documentMargin())
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + frame)
    return edit


def group_box(title: str, *parts: QWidget | QGridLayout | QFormLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for part in parts:
        if isinstance(part, QWidget):
            layout.addWidget(part)
        else:
            layout.addLayout(part)
    return box
