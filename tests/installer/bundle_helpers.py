"""Where ``make bundle`` (installer/build.sh) puts its artefacts, whether they are stale, how to run the frozen app.

The frozen program runs with an isolated HOME, no venv on PATH and no PYTHONPATH: only the bundle's own Python.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import coordinator_app

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BUILD = ROOT / "installer" / "build.sh"
#: What the bundle is built from; a file here newer than an artefact means the artefacts are stale.
SOURCES = (
    "coordinator_app",
    "resources",
    "pyproject.toml",
    "installer/koordinator.spec",
    "installer/launcher.py",
    "installer/build.sh",
    "installer/linux",
)
SMOKE_LINE = f"Koordinator {coordinator_app.__version__}: røgtest ok"


@dataclass(frozen=True)
class Artefacts:
    bundle: Path  # dist/koordinator/
    executable: Path  # dist/koordinator/koordinator
    tarball: Path
    deb: Path


def expected_artefacts() -> Artefacts:
    version = coordinator_app.__version__
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    return Artefacts(
        bundle=DIST / "koordinator",
        executable=DIST / "koordinator" / "koordinator",
        tarball=DIST / f"koordinator-{version}-linux-{os.uname().machine}.tar.gz",
        deb=DIST / f"koordinator_{version}_{arch}.deb",
    )


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def _stale(artefacts: Artefacts) -> str | None:
    """Why the artefacts must be built again, or ``None``."""
    paths = (artefacts.executable, artefacts.tarball, artefacts.deb)
    missing = [p for p in paths if not p.exists()]
    if missing:
        return f"mangler {', '.join(str(p.relative_to(ROOT)) for p in missing)}"
    if min(p.stat().st_mtime for p in paths) < _newest_source():
        return "kilderne er nyere end de byggede filer"
    return None


def build_if_stale(artefacts: Artefacts) -> None:
    """Run installer/build.sh when an artefact is missing or older than the sources; fail with the log's tail."""
    reason = _stale(artefacts)
    if reason is None:
        return
    print(f"\nBygger pakkerne ({reason}): {BUILD.relative_to(ROOT)}")
    result = subprocess.run(["bash", str(BUILD)], cwd=ROOT, capture_output=True, text=True)
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
    assert result.returncode == 0, f"installer/build.sh fejlede:\n{tail}"
    assert _stale(artefacts) is None, f"installer/build.sh byggede ikke det forventede:\n{tail}"


def frozen_env(home: Path, **extra: str) -> dict[str, str]:
    """Only what a desktop session would set: no venv on PATH, no PYTHONPATH, a fresh HOME, offscreen Qt."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    }


def run_frozen(executable: Path, *args: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(executable), *args],
        env=frozen_env(home, **extra),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
