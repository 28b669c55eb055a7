"""The suite's own guards: it never writes to the user's real folders, and its property-based tests are
deterministic under the ``ci`` profile (``tests/conftest.py``, ``tests/helpers/sandbox.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import sandbox
from helpers.profiles import CI_SHRINK_SECONDS, HYPOTHESIS_SHRINK_SECONDS, PROFILE_ENV
from hypothesis import settings
from hypothesis.internal.conjecture import engine as hypothesis_engine


def _real_roots() -> set[Path]:
    return {entry.parent for entry in sandbox.REAL_ENTRIES}


def _session_home() -> Path:
    assert sandbox.SESSION_HOME is not None
    return sandbox.SESSION_HOME


def test_every_folder_the_app_uses_points_into_a_temporary_home() -> None:
    home = Path(os.environ["HOME"])
    assert home != _session_home() and _session_home() not in home.parents  # this test's own home
    for variable in (*sandbox.XDG_FOLDERS, "XDG_RUNTIME_DIR"):
        folder = Path(os.environ[variable])
        assert home in folder.parents, variable
        assert folder not in _real_roots()


def test_undoing_every_monkeypatch_falls_back_to_the_session_home_not_the_real_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()  # what once sent a test's forbindelse.json into the user's real ~/.config
    assert Path(os.environ["HOME"]) == _session_home()
    for variable, default in sandbox.XDG_FOLDERS.items():
        assert Path(os.environ[variable]) == _session_home() / default
    from platformdirs import user_config_dir, user_log_dir

    assert _session_home() in Path(user_config_dir("Koordinator", appauthor=False)).parents
    assert _session_home() in Path(user_log_dir("Koordinator", appauthor=False)).parents


def test_the_real_folders_watched_are_the_apps_entries_under_config_data_state_and_cache() -> None:
    names = {entry.name for entry in sandbox.REAL_ENTRIES}
    assert {"Koordinator", "QtProject.conf"} <= names
    assert {entry.parent.name for entry in sandbox.REAL_ENTRIES} >= {"share", "state", ".config", ".cache"}


def test_the_tripwire_sees_a_new_changed_or_removed_file(tmp_path: Path) -> None:
    folder = tmp_path / ".config"
    entries = sandbox.watched_entries([folder])
    empty = sandbox.fingerprint(entries)
    (folder / "Koordinator").mkdir(parents=True)
    config = folder / "Koordinator" / "forbindelse.json"
    config.write_text("{}", encoding="utf-8")
    created = sandbox.fingerprint(entries)
    assert created != empty
    assert f"ny: {config}" in sandbox.describe_change(empty, created)
    config.write_text('{"path": "/tmp/pytest-of-x/afsnit.db"}', encoding="utf-8")
    changed = sandbox.fingerprint(entries)
    assert f"ændret: {config}" in sandbox.describe_change(created, changed)
    config.unlink()
    assert f"slettet: {config}" in sandbox.describe_change(changed, sandbox.fingerprint(entries))
    (folder / "other-program").mkdir()  # not the app's: not watched
    assert sandbox.fingerprint(entries) == sandbox.fingerprint(entries)


def test_ci_profile_is_derandomized_without_an_example_database_and_with_a_deadline() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True and ci.database is None
    assert ci.deadline is not None
    fuzz = settings.get_profile("fuzz")
    assert fuzz.derandomize is False and fuzz.database is not None


def test_the_profile_in_force_bounds_shrinking_only_under_ci() -> None:
    name = settings.get_current_profile_name()
    assert name == os.environ.get(PROFILE_ENV, "ci")
    expected = CI_SHRINK_SECONDS if name == "ci" else HYPOTHESIS_SHRINK_SECONDS
    assert expected == hypothesis_engine.MAX_SHRINKING_SECONDS
