"""The bundled libraries and their licence texts, read from ``resources/licenser/`` (no Qt here).

The table ``biblioteker.csv`` (navn, version, licens, hjemmeside) is written by
``resources/licenser/update_licences.py`` and checked against the installed packages by
``tests/test_licences.py``. Everything is found through ``infra.resources.resources_dir()``, so it works the same
in the repository and in the PyInstaller bundle (``sys._MEIPASS/resources``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from coordinator_app.infra.resources import resources_dir

LICENCE_DIR = "licenser"
TABLE_FILE = "biblioteker.csv"
COLUMNS = ("navn", "version", "licens", "hjemmeside")

#: The licence texts in the order the dialog lists them, with a Danish title. The Qt note comes first: it is the
#: one the LGPL requires a user to be told about (they may replace the Qt libraries).
TEXT_FILES: tuple[tuple[str, str], ...] = (
    ("Qt-og-PySide6.txt", "Qt og PySide6 (LGPL) – om at erstatte Qt"),
    ("tredjepartslicenser.txt", "Alle bibliotekers licensfiler"),
    ("LGPL-3.0.txt", "GNU LGPL version 3"),
    ("GPL-3.0.txt", "GNU GPL version 3"),
    ("LGPL-2.1.txt", "GNU LGPL version 2.1"),
    ("Apache-2.0.txt", "Apache License 2.0"),
    ("PSF-2.0-Python.txt", "Python (PSF License)"),
)


@dataclass(frozen=True, slots=True)
class Library:
    name: str
    version: str
    licence: str
    homepage: str


def licence_dir(base: Path | None = None) -> Path:
    return (base or resources_dir()) / LICENCE_DIR


def load_libraries(path: Path | None = None) -> list[Library]:
    """The rows of biblioteker.csv, in file order. ``OSError``/``ValueError`` when the file is missing or broken."""
    path = path or licence_dir() / TABLE_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path.name}: kolonnerne skal være {', '.join(COLUMNS)}")
        return [Library(row["navn"], row["version"], row["licens"], row["hjemmeside"]) for row in reader]


def licence_texts(base: Path | None = None) -> list[tuple[str, Path]]:
    """(title, file) for every licence text that exists in the bundle, in display order."""
    folder = licence_dir(base)
    return [(title, folder / name) for name, title in TEXT_FILES if (folder / name).is_file()]
