"""Indstillinger → Afsnittets profil (F3): the sender on every form — the ward's phone, secure mailbox and who
signs — with a preview of how it prints."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import (
    update_ward_profile,
)
from coordinator_app.services.ward import DEFAULT_TITLE, load_profile
from coordinator_app.ui.common.style import (
    INFO_STYLE,
    buddy_label,
    text_label,
)
from coordinator_app.ui.settings.settings_page import SettingsPage


class ProfilePage(SettingsPage):
    """The ward's sender on every document: phone, secure mailbox (F3), the coordinator's title."""

    key = "profile"
    title = "Afsnittets profil"

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.save_button.setText("&Gem profil")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("fx 38 64 00 00")
        self.secure_mail = QLineEdit()
        self.secure_mail.setPlaceholderText("afsnittets sikre postkasse, fx afsnit7@regionh.dk")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(DEFAULT_TITLE)
        for edit in (self.phone, self.secure_mail, self.title_edit):
            edit.textEdited.connect(lambda _t: self.changed())
        self.fields: dict[str, QWidget] = {
            "phone": self.phone,
            "secure_mail": self.secure_mail,
            "coordinator_title": self.title_edit,
        }
        for edit in (self.phone, self.secure_mail, self.title_edit):
            edit.textChanged.connect(lambda _t: self._preview())
            edit.setMaximumWidth(520)
        self.preview = text_label(style=INFO_STYLE)
        self.preview.setAccessibleName("Sådan står afsenderen")
        self.preview.setMaximumWidth(680)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("&Telefon:", self.phone), self.phone)
        form.addRow(buddy_label("Sikker &postkasse (F3):", self.secure_mail), self.secure_mail)
        form.addRow(buddy_label("Koordinatorens t&itel:", self.title_edit), self.title_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "Afsenderen på varslingsblanketten, mødeindkaldelser, referater og planer. Den sikre postkasse er "
                "afsnittets systembaserede indgang (F3), som kommunen svarer til."
            )
        )
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addLayout(self.footer())
        self.load()

    def _preview(self) -> None:
        """The sender block as the varslingsblanket prints it (the coordinator's name is the one who sends)."""
        phone = " ".join(self.phone.text().split()) or "Ikke oplyst"
        mail = self.secure_mail.text().strip() or "Ikke oplyst"
        title = " ".join(self.title_edit.text().split()) or "–"
        self.preview.setText(
            "Sådan står afsenderen på varslingsblanketten og de andre dokumenter:\n"
            f"Telefon: {phone}\nSikker mail: {mail}\nUnderskrift: <koordinatorens navn>, {title}"
        )

    def load(self) -> None:
        profile = load_profile(self._ctx)
        self.phone.setText(profile.phone)
        self.secure_mail.setText(profile.secure_mail)
        self.title_edit.setText(profile.coordinator_title)
        self.dirty = False

    def save(self) -> bool:
        try:
            update_ward_profile(
                self._ctx,
                phone=self.phone.text(),
                secure_mail=self.secure_mail.text(),
                coordinator_title=self.title_edit.text(),
            )
        except ValidationError as exc:
            self.refused(exc, self.fields.get(exc.field or ""))
            return False
        except KoordinatorError as exc:
            self.refused(exc)
            return False
        self.load()
        self.done("Afsnittets profil er gemt; nye dokumenter bruger den.")
        return True
