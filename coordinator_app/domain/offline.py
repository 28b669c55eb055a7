"""Cases lent to a laptop file (issue 19, ``docs/offline.md``): the loan, its states and the rules around it.

Pure Python. A loan takes patients (with the admissions asked for, or none for an ambulant patient) out of the
ward's database into an encrypted laptop file; until it is handed in (*afleveret*) or an administrator revokes it
(*tilbagekaldt*), the ward may read those patients but not write to them. What is lent is the patient: the
patient, consents and documents belong to the patient, not to one admission.

* ``check_lendable``: a patient can be lent once at a time (the second loan is refused, naming the first).
* ``check_revocable``: only a loan that is out can be revoked, with a reason (the permission is
  ``Permission.REVOKE_LOAN``, the administrator's; ``services.offline`` checks it).
* ``Loan.ward_label``: what the ward sees on a lent case, "Udlånt til … af … siden …".
* ``lent_refusal``: the refusal of a ward write to a lent case.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from coordinator_app.domain.errors import KoordinatorError, ProcessError, ValidationError

__all__ = [
    "LAPTOP_NAME_MAX",
    "LentCaseError",
    "Loan",
    "LoanState",
    "check_laptop_name",
    "check_lendable",
    "check_revocable",
    "lent_refusal",
    "new_loan_id",
]

_COPENHAGEN = ZoneInfo("Europe/Copenhagen")
LAPTOP_NAME_MAX = 100


class LoanState(StrEnum):
    """Stored in ``loans.state``: never rename the values."""

    UDLAANT = "udlaant"  # the file is out: the ward reads the cases, writes are refused
    AFLEVERET = "afleveret"  # handed in and merged; the file cannot be handed in again
    TILBAGEKALDT = "tilbagekaldt"  # revoked by an administrator: the ward writes again


STATE_LABELS: dict[LoanState, str] = {
    LoanState.UDLAANT: "Udlånt",
    LoanState.AFLEVERET: "Afleveret",
    LoanState.TILBAGEKALDT: "Tilbagekaldt",
}


class LentCaseError(KoordinatorError):
    """A write to a case that is lent to a laptop file (issue 19): refused before anything is written."""


@dataclass(frozen=True, slots=True)
class Loan:
    """One loan: ``loan_id`` is the random id the laptop file carries; ``patient_ids``/``admission_ids`` are what
    it took out (an ambulant patient: a patient without admissions)."""

    loan_id: str
    laptop: str
    lent_by: str
    lent_at: datetime
    patient_ids: frozenset[int]
    admission_ids: frozenset[int]
    state: LoanState = LoanState.UDLAANT
    expected_return: date | None = None
    ended_at: datetime | None = None
    ended_by: str | None = None
    ended_reason: str = ""
    id: int | None = None

    @property
    def out(self) -> bool:
        """The file is out: the ward may not write to these cases."""
        return self.state is LoanState.UDLAANT

    @property
    def since(self) -> str:
        """The day it was lent, as a Danish form writes it (dd-mm-åååå, local time)."""
        return self.lent_at.astimezone(_COPENHAGEN).strftime("%d-%m-%Y")

    @property
    def ward_label(self) -> str:
        """What the ward sees on a lent case: "Udlånt til Bærbar 3 af Mette Hansen (mhansen) siden 07-12-2026"."""
        return f"Udlånt til {self.laptop} af {self.lent_by} siden {self.since}"


def new_loan_id() -> str:
    """A random loan id (128 bits, hex): unguessable, and never the same on two workstations."""
    return secrets.token_hex(16)


def check_laptop_name(name: str) -> str:
    """The laptop's name as the ward will see it: stripped, not empty, one line, at most 100 characters."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Skriv navnet på den bærbare, sagerne tages med på (fx «Bærbar 3»).", field="laptop")
    if len(cleaned) > LAPTOP_NAME_MAX:
        raise ValidationError(
            f"Den bærbares navn må højst være {LAPTOP_NAME_MAX} tegn (det er {len(cleaned)}).", field="laptop"
        )
    return cleaned


def check_lendable(patient_ids: Iterable[int], active: Iterable[Loan], names: Mapping[int, str]) -> None:
    """A patient can be lent once at a time: refuse (``ProcessError``, Danish) when one of ``patient_ids`` is in a
    loan that is still out, naming the patient (``names``) and the loan."""
    wanted = set(patient_ids)
    if not wanted:
        raise ValidationError("Vælg mindst én indlæggelse eller patient at tage med offline.", field="admission")
    for loan in active:
        if not loan.out:
            continue
        for patient_id in sorted(wanted & loan.patient_ids):
            who = names.get(patient_id, f"patient nr. {patient_id}")
            raise ProcessError(
                f"{who} er allerede udlånt til {loan.laptop} af {loan.lent_by} siden {loan.since}. En sag kan kun "
                "være udlånt én gang ad gangen: aflevér offline-kopien, eller lad en administrator tilbagekalde "
                "udlånet."
            )


def check_revocable(loan: Loan, reason: str) -> str:
    """Only a loan that is out can be revoked, and the reason is written in the log: returns it cleaned."""
    if not loan.out:
        raise ProcessError(
            f"Udlånet til {loan.laptop} er {STATE_LABELS[loan.state].lower()} og kan ikke tilbagekaldes."
        )
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ValidationError(
            "Skriv hvorfor udlånet tilbagekaldes (fx «bærbaren er bortkommet»); det står i revisionsloggen.",
            field="reason",
        )
    return cleaned


def lent_refusal(loan: Loan, what: str = "Indlæggelsen") -> LentCaseError:
    """The refusal of a ward write to a case in ``loan`` (``what``: the record, e.g. "Indlæggelsen")."""
    return LentCaseError(
        f"{what} er udlånt til {loan.laptop} siden {loan.since}; den kan kun læses her, til den er afleveret "
        f"eller udlånet tilbagekaldt. Udlånt af {loan.lent_by}. Intet er gemt."
    )
