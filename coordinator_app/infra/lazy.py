"""The one way Koordinator loads a heavy module late: ``lazy_import`` (the standard library's
``importlib.util.LazyLoader``).

Start-up shows the ward's list quickly by not importing what the first screen does not need (reportlab,
openpyxl, pypdfium2, the later tabs …). Instead of an ``import`` inside each function that needs such a module,
the module is named once at the top, where a reader (and import-linter) sees the dependency:

    if TYPE_CHECKING:
        from coordinator_app.documents import referat
    else:
        referat = lazy_import("coordinator_app.documents.referat")

The module object is made at once; its code runs on the first attribute access (``referat.render_referat``).
mypy reads the ``TYPE_CHECKING`` branch, so the names stay typed. Python 3.11's ``LazyLoader`` does not lock the
first access: touch a lazy module first from the main (Qt) thread, as everything in the app does.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """``name``'s module, loaded on first attribute access (at once if it is already loaded)."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


def is_loaded(module: ModuleType) -> bool:
    """Whether a module from ``lazy_import`` has run its code yet (for tests of start-up): until then it is an
    instance of ``LazyLoader``'s private module subclass, afterwards a plain module."""
    return type(module) is ModuleType
