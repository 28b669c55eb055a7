"""Roles, permissions, password rules and the lock-out policy (issue 8) — pure domain, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coordinator_app.domain.access import (
    DEMO_PRINCIPAL,
    LOCKOUT,
    ROLE_LABELS,
    ROLE_PERMISSIONS,
    LockoutPolicy,
    Permission,
    Principal,
    Role,
    User,
    check_full_name,
    check_permission,
    check_username,
    denial_message,
    password_problem,
)
from coordinator_app.domain.errors import AccessDeniedError, KoordinatorError, ValidationError

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_four_roles_have_danish_labels() -> None:
    assert {ROLE_LABELS[r] for r in Role} == {"Koordinator", "Mødeleder", "Læseadgang", "Administrator"}


def test_laeseadgang_only_reads() -> None:
    assert ROLE_PERMISSIONS[Role.LAESEADGANG] == {Permission.READ}


def test_moedeleder_runs_meetings_but_does_not_send_to_the_kommune() -> None:
    granted = ROLE_PERMISSIONS[Role.MOEDELEDER]
    assert {Permission.READ, Permission.MANAGE_MEETING, Permission.RUN_MEETING} <= granted
    for denied in (
        Permission.SEND_NOTIFICATION,
        Permission.EDIT_ADMISSION,
        Permission.ISSUE_DOCUMENT,
        Permission.MANAGE_CONSENT,
        Permission.EDIT_PLAN,
        Permission.EXPORT_STATISTICS,
        Permission.MANAGE_SETTINGS,
        Permission.MANAGE_USERS,
        Permission.VIEW_AUDIT,
    ):
        assert denied not in granted, denied


def test_koordinator_does_the_wards_work_but_not_users_settings_or_the_audit_log() -> None:
    granted = ROLE_PERMISSIONS[Role.KOORDINATOR]
    assert set(Permission) - granted == {
        Permission.MANAGE_SETTINGS,
        Permission.MANAGE_USERS,
        Permission.VIEW_AUDIT,
        Permission.BACKUP,  # issue 18: a copy of the whole database is the administrator's, as in the window
        Permission.RESTORE,  # issue 18: so is replacing the whole database with a backup
        Permission.REVOKE_LOAN,  # issue 19: lifting a loan without its laptop file
    }


def test_administrator_may_everything_a_koordinator_may_and_manage_users_settings_and_audit() -> None:
    assert ROLE_PERMISSIONS[Role.ADMINISTRATOR] == set(Permission)
    assert ROLE_PERMISSIONS[Role.KOORDINATOR] < ROLE_PERMISSIONS[Role.ADMINISTRATOR]


def test_every_role_reads() -> None:
    assert all(Permission.READ in ROLE_PERMISSIONS[r] for r in Role)


def test_a_denial_names_the_role_and_what_it_may_not_do_in_danish() -> None:
    reader = Principal("lone", Role.LAESEADGANG, "Lone Læser")
    with pytest.raises(AccessDeniedError) as caught:
        check_permission(reader, Permission.SEND_NOTIFICATION)
    assert caught.value.message == (
        "Din rolle (Læseadgang) må ikke sende varslinger. Kontakt afsnittets administrator."
    )
    assert caught.value.permission == "send_notification"
    assert isinstance(caught.value, KoordinatorError)
    check_permission(reader, Permission.READ)  # allowed: no error


@pytest.mark.parametrize("permission", list(Permission))
def test_every_permission_has_a_denial_text(permission: Permission) -> None:
    text = denial_message(Role.LAESEADGANG, permission)
    assert text.startswith("Din rolle (Læseadgang) må ikke ") and text.endswith("administrator.")


def test_the_demo_principal_has_full_rights_and_is_marked() -> None:
    assert DEMO_PRINCIPAL.demo and DEMO_PRINCIPAL.record_name == "demo"
    assert all(DEMO_PRINCIPAL.may(p) for p in Permission)


def test_a_signed_in_user_is_named_by_full_name_and_username_in_records() -> None:
    user = User(1, "mhansen", "Mette Hansen", Role.KOORDINATOR)
    assert user.principal.record_name == "Mette Hansen (mhansen)"
    assert user.principal.label == "Mette Hansen · Koordinator"


# -- usernames and names ------------------------------------------------------------------------------------


def test_usernames_are_case_insensitive_and_trimmed() -> None:
    assert check_username("  MHansen ") == "mhansen"
    assert check_username("søren.ø-1") == "søren.ø-1"


@pytest.mark.parametrize("bad", ["", "m", "mette hansen", "mette@hansen", "x" * 33])
def test_bad_usernames_are_refused_in_danish(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_username(bad)
    assert caught.value.field == "username"


def test_full_name_is_required_and_tidied() -> None:
    assert check_full_name("  Mette   Hansen ") == "Mette Hansen"
    with pytest.raises(ValidationError, match="fulde navn"):
        check_full_name("   ")


# -- passwords ------------------------------------------------------------------------------------------------


def test_a_password_needs_at_least_ten_characters() -> None:
    assert password_problem("kort1234!") is not None
    assert "mindst 10 tegn" in (password_problem("kort1234!") or "")
    assert password_problem("grøn hest på tag") is None


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("aaaaaaaaaaaa", "forskellige tegn"),
        ("          ", "mellemrum"),
        ("mhansen-hemmelig", "brugernavnet"),
        ("Adgangskode123", "almindelig"),
        ("x" * 300, "for lang"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, expected: str) -> None:
    problem = password_problem(password, "mhansen")
    assert problem is not None and expected in problem


# -- lock-out ------------------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes() -> None:
    assert (LOCKOUT.max_failures, LOCKOUT.lock_minutes) == (5, 15)
    user = User(1, "mhansen", "Mette Hansen", Role.KOORDINATOR)
    for expected in range(1, 5):
        count, locked = LOCKOUT.after_failure(user, NOW)
        assert (count, locked) == (expected, None)
        user = User(1, "mhansen", "Mette Hansen", Role.KOORDINATOR, failed_attempts=count)
    count, locked = LOCKOUT.after_failure(user, NOW)
    assert count == 5 and locked == NOW + timedelta(minutes=15)
    locked_user = User(1, "mhansen", "Mette Hansen", Role.KOORDINATOR, failed_attempts=5, locked_until=locked)
    assert locked_user.locked_at(NOW + timedelta(minutes=14, seconds=59))
    assert not locked_user.locked_at(NOW + timedelta(minutes=15))


def test_after_the_lock_runs_out_each_wrong_password_locks_again_twice_as_long() -> None:
    """Issue 18: the delay grows with the failures; counting goes on after a lock runs out (only the right password
    resets it), so a guesser gets one try per lock, the locks doubling up to a day."""
    user = User(1, "m", "M", Role.KOORDINATOR, failed_attempts=5, locked_until=NOW)
    later = NOW + timedelta(minutes=1)
    assert LOCKOUT.after_failure(user, later) == (6, later + timedelta(minutes=30))
    assert [LOCKOUT.lock_after(n) for n in range(4, 9)] == [None] + [timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert LOCKOUT.lock_after(12) == LOCKOUT.lock_after(1000) == timedelta(hours=24)


def test_the_policy_is_configurable() -> None:
    strict = LockoutPolicy(max_failures=2, lock_minutes=60)
    user = User(1, "m", "M", Role.KOORDINATOR, failed_attempts=1)
    assert strict.after_failure(user, NOW) == (2, NOW + timedelta(hours=1))
