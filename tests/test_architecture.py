"""The layering is a failing check (style.md §1–2): contracts cover every domain module, and the domain
tests pass with Qt and the database made unimportable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import coordinator_app

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_TESTS = ROOT / "tests" / "domain"
LAYERS = {"services", "storage", "documents", "ui", "cli", "audit_cli", "__main__", "__init__"}


def domain_modules() -> set[str]:
    package = Path(coordinator_app.__file__).parent
    names = {p.stem for p in package.glob("*.py")} | {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    return {f"coordinator_app.{n}" for n in names - LAYERS}


def test_every_domain_module_is_under_the_no_qt_no_database_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    domain = next(c for c in contracts if c["name"].startswith("The domain imports neither"))
    missing = domain_modules() - set(domain["source_modules"])
    assert not missing, f"add these domain modules to the import-linter contract: {sorted(missing)}"
    assert {"PySide6", "sqlalchemy"} <= set(domain["forbidden_modules"])


def test_domain_tests_pass_without_qt_or_sqlalchemy(tmp_path: Path) -> None:
    ini = tmp_path / "pytest.ini"
    ini.write_text(
        textwrap.dedent(
            """
            [pytest]
            addopts = --strict-markers -p no:pytest-qt -p no:xvfb -p no:cacheprovider
            filterwarnings = error
            markers =
                gui: Qt
                postgres: PostgreSQL
                slow: slow
            """
        ),
        encoding="utf-8",
    )
    blocker = textwrap.dedent(
        f"""
        import sys
        for name in ("PySide6", "shiboken6", "sqlalchemy", "alembic", "psycopg", "reportlab"):
            sys.modules[name] = None  # any import of these now raises ImportError
        import pytest
        sys.exit(pytest.main(["-q", "-c", {str(ini)!r}, "--rootdir", {str(ROOT)!r},
                              "--confcutdir", {str(DOMAIN_TESTS)!r}, {str(DOMAIN_TESTS)!r}]))
        """
    )
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
