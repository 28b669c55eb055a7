"""The loan's rules (issue 19, ``domain.offline``): one loan per patient at a time, a laptop name and a reason
required, the ward's label and the refusal's wording."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.offline import (
    LAPTOP_NAME_MAX,
    Loan,
    LoanState,
    check_laptop_name,
    check_lendable,
    check_revocable,
    lent_refusal,
    new_loan_id,
)

LENT_AT = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 00:30 on 24-11 in Copenhagen


def _loan(state: LoanState = LoanState.UDLAANT) -> Loan:
    return Loan(
        loan_id=new_loan_id(),
        laptop="Bærbar 3",
        lent_by="Mette Hansen (mhansen)",
        lent_at=LENT_AT,
        patient_ids=frozenset({1, 2}),
        admission_ids=frozenset({10}),
        state=state,
    )


def test_the_ward_sees_where_the_case_is_dated_in_copenhagen() -> None:
    assert _loan().ward_label == "Udlånt til Bærbar 3 af Mette Hansen (mhansen) siden 24-11-2026"


def test_the_refusal_names_the_loan() -> None:
    assert lent_refusal(_loan()).message.startswith(
        "Indlæggelsen er udlånt til Bærbar 3 siden 24-11-2026; den kan kun læses her, til den er afleveret eller "
        "udlånet tilbagekaldt."
    )


def test_a_patient_is_lent_once_at_a_time() -> None:
    with pytest.raises(ProcessError, match="Testa Fiktivsen er allerede udlånt til Bærbar 3"):
        check_lendable([2, 3], [_loan()], {2: "Testa Fiktivsen"})
    check_lendable([3], [_loan()], {})  # another patient
    check_lendable([1], [_loan(LoanState.AFLEVERET), _loan(LoanState.TILBAGEKALDT)], {})  # the loans ended
    with pytest.raises(ValidationError):
        check_lendable([], [], {})


def test_loan_ids_are_random_and_128_bits() -> None:
    ids = {new_loan_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)


def test_the_laptop_needs_a_name_of_one_line() -> None:
    assert check_laptop_name("  Bærbar\n 3 ") == "Bærbar 3"
    for bad in ("", "   ", "x" * (LAPTOP_NAME_MAX + 1)):
        with pytest.raises(ValidationError):
            check_laptop_name(bad)


def test_only_a_loan_that_is_out_is_revoked_and_with_a_reason() -> None:
    assert check_revocable(_loan(), "  bærbaren er\nbortkommet ") == "bærbaren er bortkommet"
    with pytest.raises(ValidationError):
        check_revocable(_loan(), " ")
    with pytest.raises(ProcessError, match="afleveret"):
        check_revocable(_loan(LoanState.AFLEVERET), "væk")
