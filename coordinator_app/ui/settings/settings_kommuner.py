"""Indstillinger → Kommuner og centre: each kommune's one system-based entrance (F3) and the centres and wards.

*Kommunernes systemindgange*: the afdeling's own kommuner (those its admissions belong to) or all 98, with the
secure mailbox of the chosen one edited below the list (``ContactService.set_kommune_entrance``, as the
Kontaktbog). *Centre og afsnit*: the list new admissions choose from (``services.settings.centre_list``); a
centre or ward can be added, never removed here, because admissions name their ward.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import Kommune
from coordinator_app.domain.reference import Centre
from coordinator_app.services.first_run import load_ward_setup, save_ward_kommuner
from coordinator_app.services.registry import Services
from coordinator_app.services.settings import add_ward, centre_list
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, buddy_label, text_label
from coordinator_app.ui.common.tables import ID_ROLE, SortItem, read_only_table
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.settings.settings_page import SettingsPage

__all__ = ["KommunerPage"]

ENTRANCE_COLUMNS = ("Kommune", "Kode", "Sikker postkasse (systemindgang)")


class KommunerPage(SettingsPage):
    key = "kommuner"
    title = "Kommuner og centre"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services.ctx, parent)
        self._contacts = services.contacts
        self._kommuner: list[Kommune] = []
        setup = load_ward_setup(services.ctx)
        self._chosen_codes = set(setup.kommuner) if setup else set()  # the ward's own choice (first run, here)
        self._in_use = {k.code for k in services.statistics.kommuner_in_use()}
        self._own = self._in_use | self._chosen_codes
        self._stored_mail = ""
        self.save_button.setText("&Gem adresse")

        layout = QHBoxLayout(self)
        layout.addWidget(self._entrances(), 3)
        layout.addWidget(self._centres(), 2)
        self.reload_kommuner()
        self.reload_centres()
        self._select_first()

    def _select_first(self) -> None:
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                self.table.selectRow(row)
                return
        self._chosen()

    # -- F3 entrances ---------------------------------------------------------------------------------------------
    def _entrances(self) -> QGroupBox:
        group = QGroupBox("Kommunernes systemindgange (F3)")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Kommune, kode eller adresse …")
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.own_only = QCheckBox("Kun afsnittets kommu&ner (valgt eller med indlæggelser)")
        self.own_only.setChecked(bool(self._own))
        self.own_only.setEnabled(bool(self._own))
        self.own_only.toggled.connect(lambda _on: self.apply_filter())
        self.table = read_only_table(ENTRANCE_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.mail = QLineEdit()
        self.mail.setPlaceholderText("fx sikkerpost@kommune.dk – tom for at fjerne adressen")
        self.mail.textEdited.connect(lambda _t: self._mail_edited())
        self.mail.returnPressed.connect(self.save)
        self.mail_label = buddy_label("Sikker &postkasse:", self.mail)
        self.ward_kommune = QCheckBox("Afsnittet samarbejder med &denne kommune")
        self.ward_kommune.setToolTip(
            "Afsnittets kommuner vælges ved første start og kan ændres her; gemmes med det samme."
        )
        self.ward_kommune.toggled.connect(self._ward_kommune_toggled)
        self.count = text_label(style=MUTED)

        search = QHBoxLayout()
        search.addWidget(buddy_label("S&øg:", self.search))
        search.addWidget(self.search, 1)
        edit = QHBoxLayout()
        edit.addWidget(self.mail_label)
        edit.addWidget(self.mail, 1)
        edit.addWidget(self.save_button)
        box = QVBoxLayout(group)
        box.addWidget(
            text_label(
                "Hver kommune har én systembaseret indgang, fx en sikker postkasse (F3). Den vises i planen ved "
                "orientering, varsling og færdigmelding. Vælg kommunen, ret adressen og tryk Enter eller Gem."
            )
        )
        box.addLayout(search)
        box.addWidget(self.own_only)
        box.addWidget(self.table, 1)
        box.addWidget(self.count)
        box.addLayout(edit)
        box.addWidget(self.ward_kommune)
        box.addWidget(self.error)
        box.addWidget(self.ok)
        return group

    def reload_kommuner(self) -> None:
        selected = self.selected_code()
        self._kommuner = self._contacts.kommune_entrances()
        self.table.setRowCount(len(self._kommuner))
        for row, k in enumerate(self._kommuner):
            self._fill(row, k)
        self.apply_filter()
        if selected:
            self.select(selected)

    def _fill(self, row: int, k: Kommune) -> None:
        cells = (SortItem(k.name), SortItem(k.code), SortItem(k.secure_mail or "– mangler –"))
        if not k.secure_mail:
            cells[2].setForeground(Qt.GlobalColor.darkGray)
        for column, item in enumerate(cells):
            item.setData(ID_ROLE, k.code)
            self.table.setItem(row, column, item)

    def apply_filter(self) -> None:
        words = self.search.text().casefold().split()
        own = self.own_only.isChecked()
        shown = 0
        for row, k in enumerate(self._kommuner):
            haystack = f"{k.name} {k.code} {k.secure_mail or ''}".casefold()
            hidden = (own and k.code not in self._own) or any(w not in haystack for w in words)
            self.table.setRowHidden(row, hidden)
            shown += not hidden
        with_mail = sum(1 for k in self._kommuner if k.secure_mail)
        self.count.setText(
            f"Viser {shown} af {len(self._kommuner)} kommuner · {with_mail} har en systemindgang registreret."
        )

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return cell(self.table, rows[0].row(), 0).data(ID_ROLE) if rows else None

    def select(self, code: str) -> bool:
        for row, k in enumerate(self._kommuner):
            if k.code == code:
                self.table.setRowHidden(row, False)
                self.table.selectRow(row)
                item = self.table.item(row, 0)
                if item is not None:
                    self.table.scrollToItem(item)
                return True
        return False

    def _kommune(self, code: str | None) -> Kommune | None:
        return next((k for k in self._kommuner if k.code == code), None)

    def _chosen(self) -> None:
        k = self._kommune(self.selected_code())
        self._stored_mail = (k.secure_mail or "") if k else ""
        self.mail.setText(self._stored_mail)
        self.mail.setEnabled(k is not None)
        self.save_button.setEnabled(k is not None)
        self.mail_label.setText(f"Sikker &postkasse for {k.name}:" if k else "Sikker &postkasse:")
        with QSignalBlocker(self.ward_kommune):
            self.ward_kommune.setChecked(k is not None and k.code in self._chosen_codes)
        self.ward_kommune.setEnabled(k is not None)
        self.dirty = False

    def _ward_kommune_toggled(self, on: bool) -> None:
        k = self._kommune(self.selected_code())
        if k is None:
            return
        wanted = (self._chosen_codes | {k.code}) if on else (self._chosen_codes - {k.code})
        try:
            saved = save_ward_kommuner(self._ctx, sorted(wanted))
        except KoordinatorError as exc:
            with QSignalBlocker(self.ward_kommune):
                self.ward_kommune.setChecked(not on)
            self.refused(exc, self.ward_kommune)
            return
        self._chosen_codes = set(saved.kommuner)
        self._own = self._in_use | self._chosen_codes
        self.own_only.setEnabled(bool(self._own))
        self.done(f"{k.name} er {'tilføjet til' if on else 'fjernet fra'} afsnittets kommuner.")

    def _mail_edited(self) -> None:
        self.ok.hide()
        self.dirty = self.mail.text().strip() != self._stored_mail

    def save(self) -> bool:
        """Save the chosen kommune's entrance (F3); a refusal is shown with the address field in focus."""
        k = self._kommune(self.selected_code())
        if k is None:
            return False
        try:
            saved = self._contacts.set_kommune_entrance(k.code, self.mail.text())
        except KoordinatorError as exc:
            self.refused(exc, self.mail)
            return False
        self._kommuner = [saved if x.code == saved.code else x for x in self._kommuner]
        self._fill(self._kommuner.index(saved), saved)
        self.apply_filter()
        self._chosen()
        self.done(f"{saved.name}: adressen er {'gemt' if saved.secure_mail else 'fjernet'}.")
        return True

    # -- centres and wards ----------------------------------------------------------------------------------------
    def _centres(self) -> QGroupBox:
        group = QGroupBox("Centre og afsnit")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setStyleSheet("QTreeView::item { padding: 2px 0; }")
        self.centre = QComboBox()
        self.centre.setEditable(True)
        self.centre.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        centre_line = self.centre.lineEdit()
        assert centre_line is not None  # editable
        centre_line.setPlaceholderText("Vælg eller skriv et nyt center")
        self.ward = QLineEdit()
        self.ward.setPlaceholderText("fx Afsnit 12 – tom for kun at tilføje centret")
        self.ward.returnPressed.connect(self.add)
        self.add_button = QPushButton("&Tilføj")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.tree.currentItemChanged.connect(lambda item, _prev: self._tree_chosen(item))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("C&enter:", self.centre), self.centre)
        form.addRow(buddy_label("A&fsnit:", self.ward), self.ward)
        self.centre_error = text_label(style=ERROR_STYLE)
        self.centre_status = text_label(style=MUTED)
        add_row = QHBoxLayout()
        add_row.addWidget(self.centre_status, 1)
        add_row.addWidget(self.add_button)
        box = QVBoxLayout(group)
        box.addWidget(
            text_label(
                "Listen, en ny indlæggelse vælger center og afsnit fra. Et afsnit kan ikke slettes her, fordi "
                "indlæggelser henviser til det."
            )
        )
        box.addWidget(self.tree, 1)
        box.addLayout(form)
        box.addWidget(self.centre_error)
        box.addLayout(add_row)
        self.centre_error.hide()
        return group

    def reload_centres(self, select: tuple[str, str] | None = None) -> None:
        self.show_centres(centre_list(self._ctx), select)

    def show_centres(self, centres: list[Centre], select: tuple[str, str] | None = None) -> None:
        self.tree.clear()
        typed = self.centre.currentText()
        self.centre.clear()
        for c in centres:
            parent = QTreeWidgetItem([c.name])
            parent.setData(0, ID_ROLE, c.name)
            self.tree.addTopLevelItem(parent)
            for w in c.wards:
                child = QTreeWidgetItem([w])
                child.setData(0, ID_ROLE, c.name)
                parent.addChild(child)
                if select == (c.name, w):
                    self.tree.setCurrentItem(child)
            if select == (c.name, ""):
                self.tree.setCurrentItem(parent)
            self.centre.addItem(c.name)
        self.tree.expandAll()
        self.centre.setEditText(typed)
        wards = sum(len(c.wards) for c in centres)
        self.centre_status.setText(f"{len(centres)} centre, {wards} afsnit")

    def centres(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for i in range(self.tree.topLevelItemCount()):
            centre = self.tree.topLevelItem(i)
            assert centre is not None
            wards = (centre.child(j) for j in range(centre.childCount()))
            out[centre.text(0)] = [ward.text(0) for ward in wards if ward is not None]
        return out

    def _tree_chosen(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.centre.setEditText(str(item.data(0, ID_ROLE)))

    def add(self) -> bool:
        centre, ward = self.centre.currentText(), self.ward.text()
        try:
            centres = add_ward(self._ctx, centre, ward)
        except KoordinatorError as exc:
            self.centre_error.setText("⚠ " + exc.message)
            self.centre_error.show()
            (self.ward if getattr(exc, "field", "") == "ward" else self.centre).setFocus()
            return False
        self.centre_error.hide()
        name = next(c.name for c in centres if c.name.casefold() == " ".join(centre.split()).casefold())
        clean_ward = " ".join(ward.split())
        self.ward.clear()
        self.show_centres(centres, select=(name, clean_ward))
        self.centre.setEditText(name)
        self.centre_status.setText(f"✓ Tilføjet: {name}" + (f", {clean_ward}" if clean_ward else ""))
        self.saved.emit("centres")
        return True
