"""The .deb and the tarball IT installs: the files they hold, the menu entry, and that the unpacked .deb runs."""

from __future__ import annotations

import configparser
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from bundle_helpers import ROOT, SMOKE_LINE, Artefacts, run_frozen

import coordinator_app

# Runs the built bundle (and builds it first when it is missing or stale): `-m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

APP = "opt/koordinator"
DATA = f"{APP}/_internal"


@pytest.fixture(scope="module")
def deb_files(artefacts: Artefacts) -> dict[str, str]:
    """``dpkg-deb -c``: path (without the leading ``./``) → the listing's line."""
    listing = subprocess.run(["dpkg-deb", "-c", str(artefacts.deb)], capture_output=True, text=True, check=True)
    files = {}
    for line in listing.stdout.splitlines():
        name = line.split(maxsplit=5)[5].split(" -> ")[0]
        files[name.removeprefix("./").rstrip("/")] = line
    return files


def _resource_files() -> list[str]:
    """Every file in the repository's resources/ (kommuner, centre, fonts, icons, guide, licences …)."""
    folder = ROOT / "resources"
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def test_the_deb_holds_the_program_and_every_resource(deb_files: dict[str, str]) -> None:
    resources = _resource_files()
    for required in ("kommuner.csv", "centre.csv", "fonts/DejaVuSans.ttf", "icons/koordinator.svg"):
        assert required in resources
    missing = [name for name in resources if f"{DATA}/resources/{name}" not in deb_files]
    assert not missing, f"resources mangler i .deb: {missing}"
    for name in (
        f"{APP}/koordinator",
        f"{DATA}/coordinator_app/storage/alembic.ini",
        f"{DATA}/coordinator_app/storage/migrations/env.py",
        f"{DATA}/PySide6/Qt/plugins/platforms/libqoffscreen.so",
        f"{DATA}/PySide6/Qt/plugins/platforms/libqxcb.so",
        f"{DATA}/PySide6/Qt/translations/qtbase_da.qm",
        f"{DATA}/reportlab/fonts/Vera.ttf",
        "usr/share/applications/koordinator.desktop",
        "usr/share/icons/hicolor/256x256/apps/koordinator.png",
        "usr/share/icons/hicolor/scalable/apps/koordinator.svg",
    ):
        assert name in deb_files, f"{name} mangler i .deb"
    assert any(n.startswith(f"{DATA}/coordinator_app/storage/migrations/versions/") for n in deb_files)
    assert deb_files["usr/bin/koordinator"].endswith("-> /opt/koordinator/koordinator")
    assert all(" root/root " in line for line in deb_files.values()), "filerne skal ejes af root"


def test_the_deb_control_names_the_version_and_the_qt_libraries(artefacts: Artefacts) -> None:
    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "-f", str(artefacts.deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert field("Package") == "koordinator"
    assert field("Version") == coordinator_app.__version__
    depends = {alternative.strip().split()[0] for alternative in field("Depends").replace("|", ",").split(",")}
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    qt_libraries = {word for word in setup.split() if word.startswith(("libxcb-", "libxkbcommon", "libegl", "libgl1"))}
    assert qt_libraries, "scripts/setup.sh nævner ikke længere Qt's biblioteker"
    assert qt_libraries <= depends, f"Depends mangler {sorted(qt_libraries - depends)}"


def test_the_menu_entry_is_danish_and_starts_the_installed_program(extracted_deb: Path) -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    desktop.read(extracted_deb / "usr/share/applications/koordinator.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Koordinator"
    assert "Udskrivningskoordinering" in entry["GenericName"]
    assert "voksenpsykiatrien" in entry["Comment"]
    assert entry["Terminal"] == "false"
    assert {"Office", "MedicalSoftware"} <= set(entry["Categories"].strip(";").split(";"))
    program = entry["Exec"].split()[0]
    installed = extracted_deb / program.lstrip("/")
    assert installed.is_symlink()
    target = extracted_deb / os.readlink(installed).lstrip("/")
    assert target == extracted_deb / APP / "koordinator"
    assert target.is_file() and os.access(target, os.X_OK)
    icon = entry["Icon"]
    assert (extracted_deb / f"usr/share/icons/hicolor/256x256/apps/{icon}.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (extracted_deb / f"usr/share/icons/hicolor/scalable/apps/{icon}.svg").read_bytes()


def test_the_unpacked_deb_runs(extracted_deb: Path, tmp_path: Path) -> None:
    result = run_frozen(
        extracted_deb / APP / "koordinator", "--smoke", "--database", str(tmp_path / "x.db"), home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert SMOKE_LINE in result.stdout


def test_the_tarball_holds_the_bundle(artefacts: Artefacts) -> None:
    with tarfile.open(artefacts.tarball, "r:gz") as tar:
        names = set(tar.getnames())
        program = tar.getmember("koordinator/koordinator")
    assert program.isfile() and program.mode & 0o111
    for name in ("kommuner.csv", "centre.csv", "fonts/DejaVuSans.ttf"):
        assert f"koordinator/_internal/resources/{name}" in names
    bundle_files = {
        f"koordinator/{p.relative_to(artefacts.bundle).as_posix()}" for p in artefacts.bundle.rglob("*") if p.is_file()
    }
    assert bundle_files <= names, sorted(bundle_files - names)[:10]
