"""The feature packages show user text as typed by construction (ui/common/safe_text.py): a label is made by
``plain_label``/``rich_label``, and what guesses rich text without a format of its own (a tooltip, a message box's
text, a model's ToolTipRole) gets a literal string of ours, ``markup(...)`` or ``literal(...)``.
Every package under ui/ is read, the shell and the offline dialogs included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coordinator_app.ui.common.safe_text import literal, markup, mnemonic_free

UI = Path(__file__).resolve().parents[3] / "coordinator_app" / "ui"
HELPERS = {UI / "common" / "safe_text.py"}
SAFE_CALLS = {"literal", "markup"}
STATIC_BOXES = {"warning", "information", "question", "critical"}


def _files() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p not in HELPERS)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _safe(node: ast.expr) -> bool:
    """A string of ours (constant, or a concatenation/f-string of constants), or wrapped by a safe helper."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _safe(node.left) and _safe(node.right)
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    return isinstance(node, ast.Call) and _name(node.func) in SAFE_CALLS


def _unsafe_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name, where = _name(node.func), f"{path.relative_to(UI)}:{node.lineno}"
        if isinstance(node.func, ast.Name) and name == "QLabel":
            found.append(f"{where} QLabel(...) – use plain_label or rich_label")
        elif name == "setToolTip" and node.args and not _safe(node.args[0]):
            found.append(f"{where} setToolTip(...) – wrap the text in literal(...)")
        elif name == "showText" and len(node.args) >= 2 and not _safe(node.args[1]):
            found.append(f"{where} QToolTip.showText(...) – wrap the text in literal(...)")
        elif (
            isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "QMessageBox"
            and name in STATIC_BOXES
            and len(node.args) >= 3
            and not _safe(node.args[2])
        ):
            found.append(f"{where} QMessageBox.{name}(...) – wrap the text in literal(...)")
        elif name == "QMessageBox" and len(node.args) >= 3 and not _safe(node.args[2]):
            found.append(f"{where} QMessageBox(...) – wrap the text in literal(...)")
    return found


def test_feature_packages_make_labels_tooltips_and_message_boxes_safe() -> None:
    found = [line for path in _files() for line in _unsafe_calls(path)]
    assert found == []


@pytest.mark.parametrize(
    "text",
    ["Hansen & Søn", "<3", "Ny plan", "Afsluttet: fejl\nlinje 2"],
)
def test_literal_leaves_ordinary_text_alone(text: str) -> None:
    assert literal(text) == text


def test_literal_and_markup_escape_markup() -> None:
    hostile = '<b>Fed</b> <a href="x">Link</a> &amp; <img src="y">'
    shown = literal(hostile)
    assert "&lt;b&gt;Fed&lt;/b&gt;" in shown and "<b>" not in shown and "&amp;amp;" in shown
    assert markup("<b>{}</b>", hostile).startswith("<b>&lt;b&gt;Fed")


def test_mnemonic_free_keeps_an_ampersand_visible(qapp) -> None:
    from PySide6.QtWidgets import QCheckBox

    box = QCheckBox(mnemonic_free("Hansen & Søn"))
    assert box.text() == "Hansen && Søn"  # drawn as "Hansen & Søn", no Alt-key letter
    assert mnemonic_free("Bostøtte") == "Bostøtte"
