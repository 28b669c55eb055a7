"""The Send menu in GUI tests: select a demo admission by its status and open a Send dialog from the details panel."""

from __future__ import annotations

from typing import Any

from coordinator_app.domain.model import EventKind
from coordinator_app.ui.patients.notification_dialog import NotificationDialog
from helpers.qt import wait_for_modal


def select_with_status(
    window: Any, status: str | None, *, wants_to_leave: bool = False, allowing: EventKind | None = None
) -> int:
    """Select the first demo admission with ``status`` (and ``wants_to_leave``) whose Send menu enables ``allowing``
    (issue 16: a varsling only where the scenario is on the B5 branch)."""
    model = window.patients_tab.model
    for row in range(model.rowCount()):
        r = model.row_at(row)
        if status is not None and r.status != status:
            continue
        if allowing is not None and not any(
            a.kind is allowing and a.allowed for a in window.services.notifications.actions(r.admission_id)
        ):
            continue
        details = window.services.admissions.details(r.admission_id)
        if details.admission.flags.wants_to_leave == wants_to_leave:
            window.patients_tab.table.selectRow(row)
            return r.admission_id
    raise AssertionError(f"no demo admission with status {status}")


def open_action(window: Any, qtbot: Any, kind: EventKind) -> NotificationDialog:
    action = window.patients_tab.details.action_items[kind.value]
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    return wait_for_modal(qtbot, NotificationDialog)
