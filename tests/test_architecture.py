"""The layering is a failing check: every package of the app sits in a layer of the import-linter contracts, the
domain is a package of its own that reads no environment, the old names of the agreement engine still import,
and the domain tests pass with Qt and the database made unimportable."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import coordinator_app

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(coordinator_app.__file__).parent
DOMAIN_TESTS = ROOT / "tests" / "domain"
#: Top-level modules that are not layers: the package itself, ``python -m``, and the two kept aliases.
NOT_LAYERS = {"__init__", "__main__", "workdays", "scenarios"}


def contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return found


def contract(starts: str) -> dict[str, Any]:
    return next(c for c in contracts() if c["name"].startswith(starts))


def layer_names(layers: list[str]) -> set[str]:
    return {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}


def subpackages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}


def test_every_part_of_the_app_is_a_layer_of_the_contract() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")} | subpackages(PACKAGE)
    layered = {name.removeprefix("coordinator_app.") for name in layer_names(contract("Layers:")["layers"])}
    assert top - NOT_LAYERS == layered, "a new top-level package needs its place in the layers contract"


def test_every_ui_feature_package_is_a_layer_of_the_ui_contract() -> None:
    loose = {p.name for p in (PACKAGE / "ui").glob("*.py")} - {"__init__.py"}
    assert not loose, f"UI modules belong in a feature package: {sorted(loose)}"
    assert subpackages(PACKAGE / "ui") == layer_names(contract("UI features:")["layers"])


def test_the_domain_is_one_package_under_the_no_qt_no_database_contract_and_free_of_cycles() -> None:
    domain = contract("The domain imports neither")
    assert domain["source_modules"] == ["coordinator_app.domain"]
    assert {"PySide6", "sqlalchemy", "platformdirs", "reportlab"} <= set(domain["forbidden_modules"])
    assert contract("No import cycles inside the domain")["ancestors"] == ["coordinator_app.domain"]


def test_the_domain_reads_no_environment_and_finds_no_files_itself() -> None:
    """Environment, resource files and platform folders are infrastructure (``coordinator_app.infra``)."""
    offending = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\bos\.environ\b", r"\bgetenv\(", r"_MEIPASS", r"^import os\b", r"^from os\b"):
            if re.search(pattern, text, re.M):
                offending.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offending


def test_the_old_names_of_the_agreement_engine_still_import_as_the_same_modules() -> None:
    for name in ("workdays", "scenarios"):
        old = importlib.import_module(f"coordinator_app.{name}")
        assert old is importlib.import_module(f"coordinator_app.domain.{name}")
    scenarios = importlib.import_module("coordinator_app.scenarios")
    assert {"ScenarioAnswers", "decide", "Step"} <= set(vars(scenarios))
    assert list(inspect.signature(scenarios.decide).parameters)[:1] == ["answers"]
    calendar = importlib.import_module("coordinator_app.workdays").WorkCalendar
    assert calendar is importlib.import_module("coordinator_app.domain.workdays").WorkCalendar


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


#: An import of the storage layer or the documents: ``from coordinator_app.storage…``/``documents…``,
#: ``import coordinator_app.storage…``, ``from coordinator_app import storage``, or a late one by name
#: (``lazy_import("coordinator_app.storage…")``), which import-linter cannot see.
REACHING_PAST_THE_SERVICES = re.compile(
    r"^\s*from\s+coordinator_app\.(?:storage|documents)\b"
    r"|^\s*import\s+coordinator_app\.(?:storage|documents)\b"
    r"|^\s*from\s+coordinator_app\s+import\s+[^#\n]*\b(?:storage|documents)\b"
    r"|[\"']coordinator_app\.(?:storage|documents)\b",
    re.M,
)


def test_the_ui_and_the_command_line_reach_storage_and_documents_only_through_services() -> None:
    """Every way data leaves the program, and every use of the database, is a service: no module of the UI or the
    command line imports the storage layer or the documents (the import-linter contracts say the same for imports;
    this also finds a module named in a string, as ``lazy_import`` takes it)."""
    offending = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0).strip()}"
        for folder in ("ui", "cli")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in REACHING_PAST_THE_SERVICES.finditer(text)
    ]
    assert not offending, "\n".join(offending)


def test_the_check_for_imports_past_the_services_sees_each_form() -> None:
    for line in (
        "from coordinator_app.storage import Database",
        "    from coordinator_app.storage.backup import backup_now",
        "from coordinator_app.documents.protect import protect_pdf",
        "import coordinator_app.storage.database",
        "from coordinator_app import storage, services",
        'referat = lazy_import("coordinator_app.documents.referat")',
    ):
        assert REACHING_PAST_THE_SERVICES.search(line), line
    for line in ("from coordinator_app.services.backups import backup_now", "# the storage layer loads later"):
        assert not REACHING_PAST_THE_SERVICES.search(line), line


def test_no_module_imports_inside_a_function() -> None:
    """Lazy loading has one mechanism (``coordinator_app.lazy``), named at the module's top: an import inside a
    function hides a dependency from the reader and from import-linter. Alembic's migration scripts are exempt (it
    runs them as files)."""
    inside: list[str] = []

    class Finder(ast.NodeVisitor):
        def __init__(self, path: Path) -> None:
            self.path, self.depth = path, 0

        def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
            if self.depth:
                inside.append(f"{self.path.relative_to(ROOT)}:{node.lineno}")

        visit_ImportFrom = visit_Import

    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            Finder(path).visit(ast.parse(path.read_text(encoding="utf-8")))
    assert not inside, f"imports inside functions (use coordinator_app.lazy.lazy_import at the top): {inside}"
