"""A case lent to a laptop file (issue 19) on the demo ward: the details say "Udlånt til … af … siden …" and that the
case can only be read here; a write from the window is refused in Danish with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.screens import grab

from coordinator_app.domain.offline import LentCaseError
from coordinator_app.services import offline


def test_the_details_of_a_lent_case_say_where_it_is_and_the_ward_cannot_write(main_window, tmp_path: Path) -> None:
    window = main_window
    admission_id = window.patients_tab.model.row_at(0).admission_id
    ctx = window.services.ctx
    offline.check_out(ctx, [admission_id], tmp_path / "offline.kdb", "Bærbar-tre-2026", laptop="Bærbar 3")
    window.patients_tab.refresh_list()
    assert window.patients_tab.select_admission(admission_id)
    text = window.patients_tab.details.status_line.text()
    assert f"Udlånt til Bærbar 3 af {ctx.user} siden " in text
    assert "kan kun læses her, til offline-kopien er afleveret eller udlånet tilbagekaldt" in text
    grab(window.patients_tab.details, "udlaant-sag")
    with pytest.raises(LentCaseError):
        window.services.admissions.add_note(admission_id, "Ringet til kommunen")
