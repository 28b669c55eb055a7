"""``infra.lazy.lazy_import``: the module's code runs on first use, not at import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from coordinator_app.infra.lazy import is_loaded, lazy_import


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_module_runs_on_first_attribute_access_not_before() -> None:
    out = _run(
        """
        import sys
        from coordinator_app.infra.lazy import is_loaded, lazy_import
        protect = lazy_import("coordinator_app.documents.protect")
        before = is_loaded(protect), "msoffcrypto" in sys.modules
        problem = protect.password_problem("kort")
        print(before, is_loaded(protect), bool(problem))
        """
    )
    assert out == "(False, False) True True"


def test_an_already_loaded_module_is_returned_as_it_is() -> None:
    import json

    assert lazy_import("json") is json and is_loaded(json)


def test_a_missing_module_is_refused_at_once() -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_import("coordinator_app.no_such_module")
