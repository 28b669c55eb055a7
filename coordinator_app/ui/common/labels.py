"""Labels shared by the details panel and the forms, in a module of their own: the details panel is on the first
screen, the admission form is not, so importing the labels must not load the form (issue 7: start-up)."""

from __future__ import annotations

#: The admission's flags as the form and the details panel name them (with the rules they drive).
FLAG_LABELS: tuple[tuple[str, str], ...] = (
    ("homeless", "Hjemløs (A5)"),
    ("botilbud", "Bor på botilbud (C9, D5)"),
    ("misbrug", "Misbrug (C10, D6)"),
    ("retslig_foranstaltning", "Retslig foranstaltning (D8)"),
    ("children", "Børn i familien (A4)"),
    ("lab_par6", "Omfattet af LAB §6 (A3)"),
    ("wants_to_leave", "Ønsker udskrivning, kan ikke tilbageholdes (B8)"),
    ("multiple_antipsychotics", "Mere end ét antipsykotikum (D2)"),
)
