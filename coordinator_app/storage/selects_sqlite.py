"""SQLite's text of ``storage.selects``' reads, with their rows' converters. GENERATED: do not edit.

Written by ``.venv/bin/python -m coordinator_app.storage.sqlite_codegen``; ``tests/storage/test_selects.py`` fails while
this is stale. Imports no SQLAlchemy: the first screen reads with it before SQLAlchemy loads
(``storage.quick_read``).
"""

# fmt: off
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from coordinator_app.storage.sqlite_rows import ListRow, SqliteRead, day, document, moment

_new = tuple.__new__


def _list(rows: Iterable[Sequence[Any]]) -> list[ListRow]:
    return [
        _new(ListRow, (
            c0, c1, c2, c3, c4, c5 == 1, c6, c7, c8, c9, c10, c11, day(c12), None if c13 is None else day(c13), c14,
            None if c15 is None else day(c15), c16 == 1, c17 == 1, c18 == 1, c19 == 1, c20 == 1, c21 == 1, c22 == 1,
            c23 == 1, c24 == 1, c25 == 1,
        ))
        for (
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22,
            c23, c24, c25,
        ) in rows
    ]


def _events_of_admissions(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (c0, c1, c2, moment(c3), c4, c5, c6, c7, document(c8), c9)
        for c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 in rows
    ]


def _admissions_by_id(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            c0, c1, c2, c3, day(c4), None if c5 is None else day(c5), c6, c7, c8, c9 == 1,
            None if c10 is None else day(c10), c11, document(c12), c13 == 1, c14 == 1, c15 == 1, c16 == 1, c17 == 1,
            c18 == 1, c19 == 1, c20 == 1, c21 == 1, c22 == 1, c23 == 1, None if c24 is None else day(c24), c25 == 1,
            c26,
        )
        for (
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22,
            c23, c24, c25, c26,
        ) in rows
    ]


def _closed_meetings_of_admissions(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            c0, c1, c2, c3, c4, day(c5), None if c6 is None else moment(c6), c7, c8, c9, c10, c11, document(c12),
            document(c13), moment(c14), c15, moment(c16), None if c17 is None else moment(c17), c18, c19,
        )
        for (
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19,
        ) in rows
    ]


def _templates_by_id(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (c0, c1, c2, document(c3), moment(c4), c5)
        for c0, c1, c2, c3, c4, c5 in rows
    ]


def _plain3(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (c0, c1, c2)
        for c0, c1, c2 in rows
    ]


def _plain1(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (c0,)
        for (c0,) in rows
    ]


def _plain2(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        (c0, c1)
        for c0, c1 in rows
    ]


#: ``selects.LIST``
LIST: SqliteRead[ListRow] = SqliteRead(
    sql=(
        "SELECT admissions.id, admissions.patient_id, patients.given_name, patients.family_name, patients.cpr, "
        "patients.replacement_cpr, admissions.center, admissions.ward, admissions.bopaelskommune, "
        "coalesce(kommuner.name, admissions.bopaelskommune) AS coalesce_1, admissions.opholdskommune, "
        "admissions.handlekommune, admissions.admitted, admissions.discharged, admissions.scenario, "
        "admissions.expected_faerdigbehandlet, admissions.involuntary, admissions.demo, admissions.homeless, "
        "admissions.botilbud, admissions.misbrug, admissions.retslig_foranstaltning, admissions.children, "
        "admissions.lab_par6, admissions.wants_to_leave, admissions.multiple_antipsychotics \n"
        "FROM admissions JOIN patients ON patients.id = admissions.patient_id LEFT OUTER JOIN kommuner ON "
        "kommuner.code = admissions.bopaelskommune ORDER BY admissions.id"
    ),
    columns=(
        "id", "patient_id", "given_name", "family_name", "cpr", "replacement_cpr", "center", "ward", "bopaelskommune",
        "coalesce", "opholdskommune", "handlekommune", "admitted", "discharged", "scenario",
        "expected_faerdigbehandlet", "involuntary", "demo", "homeless", "botilbud", "misbrug", "retslig_foranstaltning",
        "children", "lab_par6", "wants_to_leave", "multiple_antipsychotics",
    ),
    parameters=(),
    values={},
    convert=_list,
)


#: ``selects.CURRENT_LIST``
CURRENT_LIST: SqliteRead[ListRow] = SqliteRead(
    sql=(
        "SELECT admissions.id, admissions.patient_id, patients.given_name, patients.family_name, patients.cpr, "
        "patients.replacement_cpr, admissions.center, admissions.ward, admissions.bopaelskommune, "
        "coalesce(kommuner.name, admissions.bopaelskommune) AS coalesce_1, admissions.opholdskommune, "
        "admissions.handlekommune, admissions.admitted, admissions.discharged, admissions.scenario, "
        "admissions.expected_faerdigbehandlet, admissions.involuntary, admissions.demo, admissions.homeless, "
        "admissions.botilbud, admissions.misbrug, admissions.retslig_foranstaltning, admissions.children, "
        "admissions.lab_par6, admissions.wants_to_leave, admissions.multiple_antipsychotics \n"
        "FROM admissions JOIN patients ON patients.id = admissions.patient_id LEFT OUTER JOIN kommuner ON "
        "kommuner.code = admissions.bopaelskommune \n"
        "WHERE admissions.discharged IS NULL ORDER BY admissions.id"
    ),
    columns=(
        "id", "patient_id", "given_name", "family_name", "cpr", "replacement_cpr", "center", "ward", "bopaelskommune",
        "coalesce", "opholdskommune", "handlekommune", "admitted", "discharged", "scenario",
        "expected_faerdigbehandlet", "involuntary", "demo", "homeless", "botilbud", "misbrug", "retslig_foranstaltning",
        "children", "lab_par6", "wants_to_leave", "multiple_antipsychotics",
    ),
    parameters=(),
    values={},
    convert=_list,
)


#: ``selects.EVENTS_OF_ADMISSIONS``
EVENTS_OF_ADMISSIONS: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT events.id, events.admission_id, events.kind, events.occurred_at, events.recorded_by, "
        "events.recipient_kommune, events.channel, events.note, events.data, events.corrects_event_id \n"
        "FROM events \n"
        "WHERE events.admission_id IN ({ids}) ORDER BY events.admission_id, events.occurred_at, events.id"
    ),
    columns=(
        "id", "admission_id", "kind", "occurred_at", "recorded_by", "recipient_kommune", "channel", "note", "data",
        "corrects_event_id",
    ),
    parameters=("ids",),
    values={},
    convert=_events_of_admissions,
)


#: ``selects.ADMISSIONS_BY_ID``
ADMISSIONS_BY_ID: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT admissions.id, admissions.patient_id, admissions.center, admissions.ward, admissions.admitted, "
        "admissions.discharged, admissions.bopaelskommune, admissions.opholdskommune, admissions.handlekommune, "
        "admissions.involuntary, admissions.expected_faerdigbehandlet, admissions.scenario, "
        "admissions.scenario_answers, admissions.homeless, admissions.botilbud, admissions.misbrug, "
        "admissions.retslig_foranstaltning, admissions.children, admissions.lab_par6, admissions.wants_to_leave, "
        "admissions.multiple_antipsychotics, admissions.afsnit_v_support, admissions.wont_seek_help, "
        "admissions.refuses_participation, admissions.planned_discharge, admissions.demo, admissions.version \n"
        "FROM admissions \n"
        "WHERE admissions.id IN ({ids})"
    ),
    columns=(
        "id", "patient_id", "center", "ward", "admitted", "discharged", "bopaelskommune", "opholdskommune",
        "handlekommune", "involuntary", "expected_faerdigbehandlet", "scenario", "scenario_answers", "homeless",
        "botilbud", "misbrug", "retslig_foranstaltning", "children", "lab_par6", "wants_to_leave",
        "multiple_antipsychotics", "afsnit_v_support", "wont_seek_help", "refuses_participation", "planned_discharge",
        "demo", "version",
    ),
    parameters=("ids",),
    values={},
    convert=_admissions_by_id,
)


#: ``selects.CLOSED_MEETINGS_OF_ADMISSIONS``
CLOSED_MEETINGS_OF_ADMISSIONS: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT meetings.id, meetings.patient_id, meetings.admission_id, meetings.template_id, meetings.occasion, "
        "meetings.invited_on, meetings.planned_at, meetings.form, meetings.place, meetings.late_reason, "
        "meetings.status, meetings.reference, meetings.content, meetings.recipients, meetings.created_at, "
        "meetings.created_by, meetings.updated_at, meetings.closed_at, meetings.follow_up_of, meetings.version \n"
        "FROM meetings \n"
        "WHERE meetings.admission_id IN ({ids}) AND meetings.status = ? ORDER BY meetings.id"
    ),
    columns=(
        "id", "patient_id", "admission_id", "template_id", "occasion", "invited_on", "planned_at", "form", "place",
        "late_reason", "status", "reference", "content", "recipients", "created_at", "created_by", "updated_at",
        "closed_at", "follow_up_of", "version",
    ),
    parameters=("ids", "status_1"),
    values={"status_1": "afsluttet"},
    convert=_closed_meetings_of_admissions,
)


#: ``selects.TEMPLATES_BY_ID``
TEMPLATES_BY_ID: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT meeting_templates.id, meeting_templates.name, meeting_templates.version, meeting_templates.sections, "
        "meeting_templates.created_at, meeting_templates.created_by \n"
        "FROM meeting_templates \n"
        "WHERE meeting_templates.id IN ({ids})"
    ),
    columns=(
        "id", "name", "version", "sections", "created_at", "created_by",
    ),
    parameters=("ids",),
    values={},
    convert=_templates_by_id,
)


#: ``selects.STAMP_VERSIONS``
STAMP_VERSIONS: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT admissions.id, admissions.version, admissions.patient_id \n"
        "FROM admissions"
    ),
    columns=(
        "id", "version", "patient_id",
    ),
    parameters=(),
    values={},
    convert=_plain3,
)


#: ``selects.STAMP_VERSIONS_OF``
STAMP_VERSIONS_OF: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT admissions.id, admissions.version, admissions.patient_id \n"
        "FROM admissions \n"
        "WHERE admissions.id IN ({ids})"
    ),
    columns=(
        "id", "version", "patient_id",
    ),
    parameters=("ids",),
    values={},
    convert=_plain3,
)


#: ``selects.STAMP_NEWEST``
STAMP_NEWEST: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT events.admission_id, max(events.id) AS newest_event_id, count(*) AS event_count \n"
        "FROM events GROUP BY events.admission_id"
    ),
    columns=(
        "admission_id", "newest_event_id", "event_count",
    ),
    parameters=(),
    values={},
    convert=_plain3,
)


#: ``selects.STAMP_NEWEST_OF``
STAMP_NEWEST_OF: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT events.admission_id, max(events.id) AS newest_event_id, count(*) AS event_count \n"
        "FROM events \n"
        "WHERE events.admission_id IN ({ids}) GROUP BY events.admission_id"
    ),
    columns=(
        "admission_id", "newest_event_id", "event_count",
    ),
    parameters=("ids",),
    values={},
    convert=_plain3,
)


#: ``selects.KOMMUNE_COUNT``
KOMMUNE_COUNT: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT count(*) AS count_1 \n"
        "FROM kommuner"
    ),
    columns=(
        "count",
    ),
    parameters=(),
    values={},
    convert=_plain1,
)


#: ``selects.KOMMUNE_NAMES``
KOMMUNE_NAMES: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT kommuner.code, kommuner.name \n"
        "FROM kommuner"
    ),
    columns=(
        "code", "name",
    ),
    parameters=(),
    values={},
    convert=_plain2,
)


#: ``selects.CENTRES_WITH_WARDS``
CENTRES_WITH_WARDS: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT centres.name, wards.name AS name_1 \n"
        "FROM centres LEFT OUTER JOIN wards ON wards.centre_id = centres.id ORDER BY centres.name, wards.name"
    ),
    columns=(
        "name", "name_1",
    ),
    parameters=(),
    values={},
    convert=_plain2,
)


#: ``selects.META_VALUE``
META_VALUE: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT app_meta.value \n"
        "FROM app_meta \n"
        'WHERE app_meta."key" = ?'
    ),
    columns=(
        "value",
    ),
    parameters=("key",),
    values={},
    convert=_plain1,
)


#: ``selects.USER_COUNT``
USER_COUNT: SqliteRead[tuple[Any, ...]] = SqliteRead(
    sql=(
        "SELECT count(*) AS count_1 \n"
        "FROM users"
    ),
    columns=(
        "count",
    ),
    parameters=(),
    values={},
    convert=_plain1,
)
