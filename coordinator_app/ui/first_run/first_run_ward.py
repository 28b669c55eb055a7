"""The first-run wizard's ward page (issue 9): centre and afsnit, the kommuner (checkable, filterable, a region at
a time) and the ward's sender details."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.reference import danish_sort_key
from coordinator_app.infra.resources import load_centres, load_kommuner
from coordinator_app.services.contacts import check_email, check_phone
from coordinator_app.services.first_run import (
    WardInput,
    check_ward,
)
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, buddy_label, text_label
from coordinator_app.ui.first_run.first_run_pages import PAGE_SUMMARY, placeholder, show_message

__all__ = ["WardPage"]


class WardPage(QWizardPage):
    """The ward (centre and afsnit), its kommuner (checkable, filterable, a region at a time) and its sender."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Afsnittet og dets kommuner")
        self.setSubTitle("Hvilket afsnit bruger Koordinator, og hvilke kommuner samarbejder afsnittet med?")
        self._centres = {c.name: c.wards for c in load_centres()}
        self.centre = QComboBox()
        self.centre.setEditable(True)
        self.centre.addItems(list(self._centres))
        self.centre.setCurrentIndex(-1)
        placeholder(self.centre, "fx Psykiatrisk Center København")
        self.centre.setAccessibleName("Center")
        self.ward = QComboBox()
        self.ward.setEditable(True)
        placeholder(self.ward, "fx Afsnit 7")
        self.ward.setAccessibleName("Afsnit")
        self.centre.currentTextChanged.connect(self._centre_changed)
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Afsnittets telefon")
        self.phone.setPlaceholderText("valgfrit")
        self.secure_mail = QLineEdit()
        self.secure_mail.setAccessibleName("Afsnittets sikre postkasse")
        self.secure_mail.setPlaceholderText("valgfrit, fx afsnit7@regionh.dk")

        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText("Søg kommune …")
        self.filter.setAccessibleName("Søg kommune")
        self.filter.textChanged.connect(self._filter)
        self.region = QComboBox()
        self.region.setAccessibleName("Markér en region")
        kommuner = sorted(load_kommuner(), key=lambda k: danish_sort_key(k.name))
        self._regions: dict[str, list[str]] = {}
        for k in kommuner:
            self._regions.setdefault(k.region, []).append(k.code)
        self.region.addItem("Markér alle i en region …", "")
        for region in sorted(self._regions, key=danish_sort_key):
            self.region.addItem(f"Region {region}", region)
        self.region.activated.connect(self._region_chosen)
        clear = QPushButton("&Ryd")
        clear.setToolTip("Fjern alle markeringer")
        clear.clicked.connect(self._clear)
        self.kommuner = QListWidget()
        self.kommuner.setAccessibleName("Kommuner")
        self.kommuner.setViewMode(QListWidget.ViewMode.ListMode)
        self.kommuner.setFlow(QListWidget.Flow.TopToBottom)
        self.kommuner.setWrapping(True)
        self.kommuner.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.kommuner.setUniformItemSizes(True)
        metrics = self.kommuner.fontMetrics()
        widest = max(metrics.horizontalAdvance(k.name) for k in kommuner)
        self.kommuner.setGridSize(QSize(widest + 34, metrics.height() + 6))  # + the check box
        self.kommuner.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for k in kommuner:
            item = QListWidgetItem(k.name)
            item.setData(Qt.ItemDataRole.UserRole, k.code)
            item.setToolTip(literal(f"{k.name} Kommune (kode {k.code}, Region {k.region})"))
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.kommuner.addItem(item)
        self.kommuner.itemChanged.connect(lambda _i: self._count_changed())
        self.count = plain_label()
        self.count.setStyleSheet(MUTED)
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.hide()

        names = QGridLayout()
        names.addWidget(buddy_label("&Center:", self.centre), 0, 0)
        names.addWidget(self.centre, 0, 1)
        names.addWidget(buddy_label("A&fsnit:", self.ward), 0, 2)
        names.addWidget(self.ward, 0, 3)
        names.addWidget(buddy_label("&Telefon:", self.phone), 1, 0)
        names.addWidget(self.phone, 1, 1)
        names.addWidget(buddy_label("Sikker &postkasse:", self.secure_mail), 1, 2)
        names.addWidget(self.secure_mail, 1, 3)
        names.setColumnStretch(1, 3)
        names.setColumnStretch(3, 2)
        tools = QHBoxLayout()
        tools.addWidget(self.filter, 2)
        tools.addWidget(self.region, 2)
        tools.addWidget(clear)
        group = QGroupBox("&Kommuner")
        inner = QVBoxLayout(group)
        inner.addLayout(tools)
        inner.addWidget(self.kommuner, 1)
        inner.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(names)
        layout.addWidget(group, 1)
        layout.addWidget(self.error)
        self._count_changed()

    def _centre_changed(self, name: str) -> None:
        current = self.ward.currentText()
        self.ward.clear()
        self.ward.addItems(list(self._centres.get(name, ())))
        self.ward.setCurrentIndex(-1)
        self.ward.setEditText(current)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.kommuner.count()):
            item = self.kommuner.item(row)
            hay = f"{item.text()} {item.data(Qt.ItemDataRole.UserRole)}".casefold()
            item.setHidden(bool(needle) and needle not in hay)

    def _region_chosen(self, index: int) -> None:
        region = self.region.itemData(index)
        if region:
            self.check(self._regions[region])
        self.region.setCurrentIndex(0)

    def _clear(self) -> None:
        for row in range(self.kommuner.count()):
            self.kommuner.item(row).setCheckState(Qt.CheckState.Unchecked)

    def check(self, codes: list[str] | tuple[str, ...]) -> None:
        wanted = set(codes)
        for row in range(self.kommuner.count()):
            item = self.kommuner.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> tuple[str, ...]:
        items = (self.kommuner.item(row) for row in range(self.kommuner.count()))
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)

    def chosen_names(self) -> list[str]:
        items = (self.kommuner.item(row) for row in range(self.kommuner.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def _count_changed(self) -> None:
        n = len(self.chosen())
        self.count.setText(
            "Ingen kommuner valgt endnu." if n == 0 else f"{n} {'kommune' if n == 1 else 'kommuner'} valgt."
        )
        self.completeChanged.emit()

    def ward_input(self) -> WardInput:
        return WardInput(
            self.centre.currentText(),
            self.ward.currentText(),
            self.chosen(),
            self.phone.text(),
            self.secure_mail.text(),
        )

    def validatePage(self) -> bool:
        fields = {"centre": self.centre, "ward": self.ward, "phone": self.phone, "secure_mail": self.secure_mail}
        try:
            checked = check_ward(self.ward_input())
            check_phone(checked.phone, field="phone", label="Afsnittets telefonnummer")
            check_email(checked.secure_mail, field="secure_mail", label="Afsnittets sikre postkasse")
        except ValidationError as exc:
            show_message(self.error, exc.message, ERROR_STYLE)
            widget = fields.get(exc.field or "")
            (widget or self.filter).setFocus()
            return False
        self.error.hide()
        return True

    def nextId(self) -> int:
        return PAGE_SUMMARY
