"""Text a user typed is shown as typed, never as markup.

Names and free text may hold ``<``, ``>`` and ``&`` ("Hansen & Søn", "<3"), but Qt guesses "rich text" for a
``QLabel``, a ``QMessageBox`` and a tooltip (``Qt.AutoText`` → ``Qt.mightBeRichText``) and would render a name like
``<i>Testa</i>`` in italics or ``<a href=…>`` as a link. So every label and message box in the feature packages is
made here, plain text by construction:

- ``plain_label`` – the label for data and ordinary text (``Qt.PlainText``: shown exactly as given);
- ``rich_label`` + ``markup`` – the few labels with deliberate markup (bold headings, links): the template is ours,
  every value put into it is HTML-escaped by ``markup``;
- ``literal`` – text for what has no text format of its own (tooltips, ``QMessageBox.warning`` and the other
  static message boxes, a message box's text): unchanged when Qt would show it plain anyway, else escaped so it
  shows literally;
- ``mnemonic_free`` – typed text on a button or check box (``&`` would mark the Alt-key letter).

``tests/ui/common/test_safe_text_rules.py`` keeps the feature packages on these: no bare ``QLabel(``, and a
tooltip's or a message box's text is a literal string of ours, ``markup(...)`` or ``literal(...)``."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", *, wrap: bool = False, style: str = "") -> QLabel:
    """A label that shows ``text`` exactly as given (plain text, no links)."""
    widget = QLabel()
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(wrap)
    if style:
        widget.setStyleSheet(style)
    return widget


def markup(template: str, /, *args: object, **kwargs: object) -> str:
    """``template.format(...)`` with every value HTML-escaped: the template's markup is ours, the values are shown
    literally (``markup("<b>{}</b>", "<i>x</i>")`` → ``<b>&lt;i&gt;x&lt;/i&gt;</b>``)."""
    return template.format(
        *(escape(str(a), quote=True) for a in args),
        **{k: escape(str(v), quote=True) for k, v in kwargs.items()},
    )


def rich_label(html: str = "", *, wrap: bool = False) -> QLabel:
    """A label with deliberate markup. ``html`` is our own text or built with ``markup`` (values escaped); links
    are reported through ``linkActivated``, never opened by Qt."""
    widget = QLabel()
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setOpenExternalLinks(False)
    widget.setText(html)
    widget.setWordWrap(wrap)
    return widget


def mnemonic_free(text: str) -> str:
    """``text`` for a button, check box or menu entry, where ``&`` marks the Alt-key letter: doubled, so "Hansen &
    Søn" shows its ``&`` instead of underlining the space after it."""
    return text.replace("&", "&&")


def literal(text: str) -> str:
    """``text`` for a place that guesses rich text and has no text format of its own (a tooltip, an item's
    ``ToolTipRole``, the static ``QMessageBox.warning`` etc., a form row's label): unchanged when Qt would show it as
    plain text anyway (so ordinary texts stay exactly as they are), else escaped rich text with the same lines, so
    it shows literally."""
    if not QtGui.mightBeRichText(text):
        return text
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)  # wraps like plain text
