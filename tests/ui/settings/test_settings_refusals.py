"""Indstillinger for a role that may not change them (issue 8): each page's «Gem» shows the service's Danish refusal
on the page instead of letting the error escape, and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from coordinator_app.domain.access import Principal, Role
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.services.ward import load_profile
from coordinator_app.storage.database import open_database
from coordinator_app.ui.settings.calendar_page import CalendarPage
from coordinator_app.ui.settings.profile_page import ProfilePage
from coordinator_app.ui.settings.rates_page import RatesPage

COORDINATOR = Principal(username="kbo", full_name="Kim Bo", role=Role.KOORDINATOR)  # not MANAGE_SETTINGS


@pytest.fixture
def ctx(sqlite_url: str) -> Iterator[ServiceContext]:
    db = open_database(sqlite_url)
    setup = ServiceContext(database=db, clock=fixed_clock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    ensure_reference_data(setup)
    yield ServiceContext(database=db, clock=setup.clock, principal=COORDINATOR)
    db.dispose()


@pytest.mark.parametrize("page_type", [RatesPage, CalendarPage, ProfilePage])
def test_saving_without_the_right_is_refused_on_the_page(qtbot, ctx: ServiceContext, page_type) -> None:
    page = page_type(ctx)
    qtbot.addWidget(page)
    page.show()
    if isinstance(page, ProfilePage):
        page.phone.setText("38 64 00 00")
    before = load_profile(ctx)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.error.isVisible()
    assert "Din rolle (Koordinator) må ikke ændre afsnittets indstillinger" in page.error.text()
    assert not page.ok.isVisible()
    assert load_profile(ctx) == before
