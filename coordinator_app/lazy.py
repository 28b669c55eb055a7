"""The one way Koordinator loads a module late: ``lazy_import``.

Start-up shows the ward's list quickly by not importing what the first screen does not need (reportlab, openpyxl,
pypdfium2, python-stdnum, Alembic, the later tabs …). Instead of an ``import`` inside each function that needs such
a module, the module is named once at the top, where a reader (and import-linter) sees the dependency:

    if TYPE_CHECKING:
        from coordinator_app.documents import referat
    else:
        referat = lazy_import("coordinator_app.documents.referat")

``referat`` is a stand-in that imports the real module — the ordinary way, through ``importlib.import_module`` —
the first time one of its attributes is read (``referat.render_referat``), and hands out the real module's
attributes from then on. mypy reads the ``TYPE_CHECKING`` branch, so the names stay typed. Patch the real module
in tests (``monkeypatch.setattr("coordinator_app.documents.referat.render_referat", …)``): the stand-in reads
through to it.

Written here rather than taken from ``importlib.util.LazyLoader`` (or the ``lazy_loader`` package, which uses it)
because that loader needs the parent packages imported at once to find a submodule: ``lazy_import("stdnum.dk")``
would import ``stdnum``, which pulls in pydoc, and ``alembic.config`` the whole ``alembic`` package (377 modules,
measured here) — exactly what start-up defers. Importing on first use through the normal import system keeps
every package's own import order, so a package whose ``__init__`` imports its submodules works unchanged.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib.machinery import PathFinder
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """Stands for the module ``__name__`` until one of its attributes is read; then imports it."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}{'' if is_loaded(self) else ' (not loaded yet)'}>"


def lazy_import(name: str) -> ModuleType:
    """``name``'s module if it is already loaded, else a stand-in that imports it on first attribute access.

    A name that no installed module has is refused at once (``ModuleNotFoundError``), without importing anything:
    a typo must not wait for the first use to show.
    """
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    if not _exists(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return LazyModule(name)


def is_loaded(module: ModuleType) -> bool:
    """Whether ``module`` (a stand-in from ``lazy_import``, or a module) has been imported (stand-ins are never put
    in ``sys.modules``; the real module is, when imported)."""
    return module.__name__ in sys.modules


def _exists(name: str) -> bool:
    """Whether an installed module is called ``name``, found without running it or its packages: a top-level name
    through ``importlib.util.find_spec`` (which imports nothing for it), a submodule in its package's search path,
    read from the package's spec."""
    parts = name.split(".")
    path: list[str] | None = None
    for depth in range(1, len(parts) + 1):
        prefix = ".".join(parts[:depth])
        module = sys.modules.get(prefix)
        if module is not None:
            spec = module.__spec__
        elif depth == 1:
            spec = importlib.util.find_spec(prefix)
        else:
            spec = PathFinder.find_spec(prefix, path)
        if spec is None:
            return False
        if depth < len(parts):
            if spec.submodule_search_locations is None:
                return False
            path = list(spec.submodule_search_locations)
    return True
