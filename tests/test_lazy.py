"""``lazy.lazy_import``: the module is imported on first use, not at import — its packages neither."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from coordinator_app.lazy import LazyModule, is_loaded, lazy_import


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_module_is_imported_on_first_attribute_access_not_before() -> None:
    out = _run(
        """
        import sys
        from coordinator_app.lazy import is_loaded, lazy_import
        protect = lazy_import("coordinator_app.documents.protect")
        before = is_loaded(protect)
        problem = protect.password_problem("kort")
        real = sys.modules["coordinator_app.documents.protect"]
        print(before, is_loaded(protect), bool(problem), real is not protect)
        """
    )
    assert out == "False True True True"


def test_a_submodule_of_a_heavy_package_leaves_the_package_unloaded_until_used() -> None:
    """What importlib's LazyLoader cannot: ``stdnum``'s package pulls in pydoc, Alembic's 377 modules."""
    out = _run(
        """
        import sys
        from coordinator_app.lazy import lazy_import
        dk = lazy_import("stdnum.dk")
        command = lazy_import("alembic.command")
        print(any(n.startswith(("stdnum", "alembic", "pydoc")) for n in sys.modules))
        print(dk.cpr.is_valid("0101909909") in (True, False), callable(command.upgrade), "alembic" in sys.modules)
        """
    )
    assert out.splitlines() == ["False", "True True True"]


def test_a_package_whose_init_imports_the_submodule_works_the_ordinary_way() -> None:
    out = _run(
        """
        from coordinator_app.lazy import lazy_import
        exc = lazy_import("sqlalchemy.exc")
        import sqlalchemy.exc
        print(exc.DBAPIError is sqlalchemy.exc.DBAPIError)
        """
    )
    assert out == "True"


def test_patching_the_real_module_is_seen_through_the_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    stand_in = LazyModule("json")
    monkeypatch.setattr(json, "dumps", lambda value: "patched")
    assert stand_in.dumps({}) == "patched"


def test_an_already_loaded_module_is_returned_as_it_is() -> None:
    import json

    assert lazy_import("json") is json and is_loaded(json)


@pytest.mark.parametrize("name", ["coordinator_app.no_such_module", "no_such_package.sub", "json.no_such"])
def test_a_missing_module_is_refused_at_once(name: str) -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_import(name)
