"""Where the data IT may edit is found, and reading it: ``resources/`` (kommuner, centres, fonts, icons, the
guide, licences).

In order: ``$KOORDINATOR_RESOURCES``; a PyInstaller bundle's ``sys._MEIPASS/resources``; the repository's
``resources/`` beside the ``coordinator_app`` package. The files' content is read by the domain
(``domain.reference.parse_kommuner`` / ``parse_centres``); a missing or unreadable file is a Danish
``ValidationError`` that says what to do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Kommune
from coordinator_app.domain.reference import CENTRES_FILE, KOMMUNER_FILE, Centre, parse_centres, parse_kommuner
from coordinator_app.infra.oserrors import describe

#: Environment variable that points the app at another ``resources`` folder (tests, a shared drive).
RESOURCES_ENV = "KOORDINATOR_RESOURCES"


def resources_dir() -> Path:
    """The folder holding editable reference data (see the module docstring for the order)."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def read_resource(path: Path) -> bytes:
    """The bytes of a reference file, or a Danish ``ValidationError`` naming it and what to do."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(
            f"Filen {path.name} findes ikke i {path.parent}. Geninstallér programmet, eller sæt "
            f"{RESOURCES_ENV} til mappen med referencedata.",
            field=path.name,
        ) from None
    except OSError as exc:
        raise ValidationError(f"Filen {path.name} kan ikke læses ({describe(exc)}).", field=path.name) from None


def load_kommuner(path: Path | None = None) -> list[Kommune]:
    """All kommuner from ``kommuner.csv`` (``path``, or the resources folder's)."""
    path = path or resources_dir() / KOMMUNER_FILE
    return parse_kommuner(read_resource(path), path.name)


def load_centres(path: Path | None = None) -> list[Centre]:
    """Centres and their wards from ``centre.csv`` (``path``, or the resources folder's)."""
    path = path or resources_dir() / CENTRES_FILE
    return parse_centres(read_resource(path), path.name)
