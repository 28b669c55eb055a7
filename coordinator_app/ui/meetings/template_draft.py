"""The meeting template while it is edited: a ``SectionDraft`` per section (the domain's ``TemplateSection`` is
frozen), the labels of the section kinds, and the key a new section gets. No Qt: the editor's widgets are in
``meeting_template_editor`` (the dialog and its list) and ``template_section_form`` (the selected section)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from coordinator_app.domain.meetings import SectionKind, TemplateSection

KIND_LABELS: dict[SectionKind, str] = {
    SectionKind.AGENDA: "Formål og dagsorden",
    SectionKind.PARTICIPANTS: "Deltagerliste",
    SectionKind.ROLES: "Roller (mødeleder, referent, tovholder)",
    SectionKind.AGREEMENTS: "Aftaler (hvad, hvem, hvornår)",
    SectionKind.FOLLOW_UP: "Opfølgningsmøde",
    SectionKind.TEXT: "Fri tekst",
}
#: Sections whose editor is a text field: default items are prefilled there as "- punkt" lines.
TEXT_KINDS = (SectionKind.AGENDA, SectionKind.TEXT)


@dataclass
class SectionDraft:
    """A section while it is edited (the domain's ``TemplateSection`` is frozen)."""

    key: str
    kind: SectionKind
    title: str
    guidance: str = ""
    required: bool = False
    default_items: list[str] = field(default_factory=list)
    health_professional_only: bool = False

    @classmethod
    def of(cls, s: TemplateSection) -> SectionDraft:
        return cls(s.key, s.kind, s.title, s.guidance, s.required, list(s.default_items), s.health_professional_only)

    def frozen(self) -> TemplateSection:
        return TemplateSection(
            key=self.key,
            kind=self.kind,
            title=self.title.strip(),
            guidance=self.guidance.strip(),
            required=self.required,
            default_items=tuple(i.strip() for i in self.default_items if i.strip()),
            health_professional_only=self.health_professional_only,
        )


def new_key(title: str, taken: set[str]) -> str:
    """A stable key for a new section: a slug of its first title, unique within the template."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "_", title.casefold().translate(table)).strip("_")[:24] or "afsnit"
    key = slug
    while key in taken:
        key = f"{slug}_{uuid.uuid4().hex[:4]}"
    return key
