"""The licence table (resources/licenser/biblioteker.csv) names every library the app bundles, at the installed
version, and the licence texts the LGPL/Apache/PSF ask to be shipped are there (issue 9)."""

from __future__ import annotations

import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.utils import canonicalize_name

from coordinator_app.ui.shell.licences import TEXT_FILES, licence_dir, licence_texts, load_libraries

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "resources" / "licenser" / "update_licences.py"


@pytest.fixture(scope="module")
def updater() -> ModuleType:
    """The generator script, so test and table share one definition of "runtime dependency"."""
    spec = importlib.util.spec_from_file_location("update_licences", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    """Canonical name → version as listed."""
    rows = load_libraries()
    names = [canonicalize_name(row.name) for row in rows]
    assert len(names) == len(set(names)), "a library is listed twice"
    return {canonicalize_name(row.name): row.version for row in rows}


def test_every_runtime_dependency_is_listed_at_its_installed_version(updater: ModuleType, table: dict[str, str]):
    bundled = updater.runtime_distributions()
    # The direct dependencies from pyproject.toml are among them (with psycopg's [binary] extra followed).
    for req in updater.project_requirements():
        assert canonicalize_name(req.name) in bundled
    assert {"shiboken6", "psycopg-binary", "cffi", "cryptography", "pycryptodomex", "olefile"} <= set(bundled)
    missing = sorted(set(bundled) - set(table))
    assert not missing, f"not in biblioteker.csv (run {SCRIPT.name}): {missing}"
    wrong = {name: (table[name], dist.version) for name, dist in bundled.items() if table[name] != dist.version}
    assert not wrong, f"listed vs installed version (run {SCRIPT.name}): {wrong}"


def test_no_dev_tool_is_listed_as_bundled(updater: ModuleType, table: dict[str, str]):
    components = {canonicalize_name(name) for name, *_ in updater.COMPONENTS}
    extra = set(table) - set(updater.runtime_distributions()) - components
    assert not extra, f"listed but not a runtime dependency: {sorted(extra)}"
    assert not {"pytest", "pyinstaller", "ruff", "hypothesis"} & set(table)


def test_components_inside_the_wheels_match_what_runs():
    from PySide6.QtCore import qVersion

    listed = {row.name: row.version for row in load_libraries()}
    assert listed["Python"] == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert listed["Qt"] == qVersion()
    assert listed["PySide6_Essentials"] == metadata.version("PySide6-Essentials")


def test_table_is_exactly_what_the_generator_writes(updater: ModuleType):
    assert updater.read_table() == updater.table_rows()


def test_every_row_has_a_licence_and_homepage():
    for row in load_libraries():
        assert row.licence and row.homepage.startswith("https://"), row


def test_licence_texts_that_must_be_shipped_are_there():
    names = {path.name for _title, path in licence_texts()}
    assert names == {name for name, _title in TEXT_FILES}
    folder = licence_dir()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (folder / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "Version 3" in (folder / "GPL-3.0.txt").read_text(encoding="utf-8")
    note = (folder / "Qt-og-PySide6.txt").read_text(encoding="utf-8")
    assert "erstatte Qt-bibliotekerne" in note
    combined = (folder / "tredjepartslicenser.txt").read_text(encoding="utf-8")
    for row in load_libraries():
        if row.name not in {"Python", "Qt", "SQLCipher", "DejaVu-skrifttyper"}:
            assert f"\n{row.name} {row.version} — " in combined, row.name
    assert (ROOT / "resources" / "fonts" / "LICENSE-DejaVu.txt").is_file()


def test_a_broken_table_says_so_in_danish(tmp_path: Path):
    broken = tmp_path / "biblioteker.csv"
    broken.write_text("name,version\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kolonnerne skal være"):
        load_libraries(broken)
