"""Render the main screens to PNG (offscreen) to look at them: I dag, Færdigmeldte, Patienter, dialogs, Møder.

Run: .venv/bin/python scripts/screenshots.py OUTDIR
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from coordinator_app.services.context import fixed_clock
from coordinator_app.storage.database import open_database
from coordinator_app.ui.patients.admission_dialog import AdmissionDialog
from coordinator_app.ui.shell.app import LaunchOptions, build_window, ensure_application, install_danish


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    install_danish(app)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/demo.db")
        options = LaunchOptions(database_url=None, demo=True, settings_path=f"{tmp}/s.ini")
        window = build_window(db, options, clock=fixed_clock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        # The start view and the færdigmeldte at a common laptop size (1280×800), before anything is changed.
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "today_tab.png"))
        window.tabs.setCurrentWidget(window.faerdigmeldte_tab)
        app.processEvents()
        window.grab().save(str(out / "faerdigmeldte_tab.png"))
        patients, services = window.patients_tab, window.services
        window.tabs.setCurrentWidget(patients)
        window.resize(1440, 860)
        app.processEvents()
        patients.table.selectRow(0)
        app.processEvents()
        window.grab().save(str(out / "main_window.png"))
        patients.details.tabs.setCurrentIndex(1)
        app.processEvents()
        window.grab().save(str(out / "main_window_history.png"))
        selected = patients.selected_admission_id()
        assert selected is not None
        details = services.admissions.details(selected)
        dialog = AdmissionDialog(
            services.admissions,
            kommuner=window.patient_actions.kommune_list(),
            centres=window.patient_actions.centres,
            today=datetime(2026, 11, 23).date(),
            existing=details,
            parent=window,
        )
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / "admission_dialog.png"))
        dialog.cpr.setText("321370-1234")
        dialog.save()
        app.processEvents()
        dialog.grab().save(str(out / "admission_dialog_error.png"))
        dialog.reject()
        # A varsling for an orienteret patient: the notification dialog.
        from coordinator_app.domain.model import EventKind
        from coordinator_app.ui.patients.notification_dialog import NotificationDialog

        for row in range(patients.model.rowCount()):
            if patients.model.row_at(row).status == "Orienteret":
                patients.table.selectRow(row)
                break
        app.processEvents()
        admission_id = patients.selected_admission_id()
        assert admission_id is not None
        details = services.admissions.details(admission_id)
        patient_id = details.patient.id
        assert patient_id is not None
        consents = services.consents.for_patient(patient_id)
        note = NotificationDialog(
            services.notifications, details, EventKind.VARSLING, consents=consents, now=services.ctx.clock.now()
        )
        note.show()
        app.processEvents()
        note.grab().save(str(out / "notification_dialog.png"))
        note.send()
        app.processEvents()
        window.refresh()
        patients.select_admission(admission_id)
        patients.details.tabs.setCurrentIndex(2)
        app.processEvents()
        window.grab().save(str(out / "main_window_documents.png"))
        patients.details.send_menu.popup(
            patients.details.send_button.mapToGlobal(patients.details.send_button.rect().bottomLeft())
        )
        app.processEvents()
        patients.details.send_menu.grab().save(str(out / "send_menu.png"))
        patients.details.send_menu.hide()
        # A scheduled netværksmøde: the admission's Møder tab and the ward's Møder tab.
        from coordinator_app.domain.meetings import Occasion
        from coordinator_app.services.meetings import ScheduleInput

        now = services.ctx.clock.now()
        services.meetings.schedule(
            ScheduleInput(
                patient_id=patient_id,
                admission_id=admission_id,
                occasion=Occasion.UNDER_INDLAEGGELSE,
                invited_on=now.date(),
                planned_at=now.replace(day=now.day + 2, hour=9),
                place="Afsnit 7, mødelokale 2",
            )
        )
        patients.show_admission(admission_id)
        patients.details.tabs.setCurrentIndex(2)
        app.processEvents()
        window.grab().save(str(out / "main_window_meetings.png"))
        window.tabs.setCurrentWidget(window.meetings_tab)
        app.processEvents()
        window.grab().save(str(out / "meetings_tab.png"))
        window.close()
        db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
