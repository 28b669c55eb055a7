"""Importing this module loads PySide6 and switches off its per-module feature scan — import it before the rest of
the UI, as ``ui.shell.startup`` and ``ui.shell.app`` do.

After PySide6 is imported, its import hook looks at every module imported later
(``shibokensupport.feature.feature_imported``): to learn whether the module may switch PySide6's ``__feature__``
options (``snake_case``, ``true_property``), it reads the module's whole source with ``inspect.getsource`` and
searches it for "PySide6". Koordinator switches no feature anywhere, so the answer is "no" for every module and is
given at once here instead. Measured on the start to a window ready for input in a development checkout (15 runs
each, interleaved): the whole process's CPU time fell from ~1.21 s to ~1.05 s, some 230 modules (SQLAlchemy among
them) no longer being read as text. A frozen bundle ships no sources and paid less.

The function replaced is PySide6's own (the version is pinned in pyproject.toml); ``tests/ui/shell/test_startup.py``
checks it is still there, so an upgrade that renames it is noticed.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads shibokensupport.feature, whose scan is switched off below

FEATURE_MODULE = "shibokensupport.feature"


def _uses_no_feature(module: ModuleType) -> bool:
    return False


def skip_feature_scan() -> bool:
    """Answer PySide6's feature scan "no" for every module; False if this PySide6 has no such scan."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_no_feature)  # noqa: B010 - a module mypy has no stub for
    return True


SKIPPED = skip_feature_scan()
