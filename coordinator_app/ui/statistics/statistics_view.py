"""What the Statistik tab shows, as text and bars: the period presets, each figure's value and basis in Danish
format, the three charts' bars with the admissions behind each bar, and why an export failed (in Danish).

No widgets here: the tab (``statistics_tab.py``) and its pages lay them out; tests compare these texts with the
export. The export itself is written by ``services.exports`` (atomically, ``infra.files.write_atomically``).
"""

from __future__ import annotations

import errno
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from coordinator_app.domain.statistics import Figure, FigureKey, FigureUnit, Statistics
from coordinator_app.services.settings import format_kroner
from coordinator_app.ui.statistics.charts import Bar, format_count, format_days, format_share

__all__ = [
    "CUSTOM",
    "PRESETS",
    "SHARE_KEYS",
    "cost_bars",
    "day",
    "export_error_text",
    "figure_basis",
    "figure_value",
    "preset_period",
    "share_bars",
    "stay_bars",
]

LAST_12_MONTHS, LAST_YEAR, THIS_YEAR, LAST_QUARTER, CUSTOM = (
    "Sidste 12 måneder",
    "Sidste år",
    "Dette år",
    "Sidste kvartal",
    "Valgfri periode",
)
PRESETS = (LAST_12_MONTHS, LAST_YEAR, THIS_YEAR, LAST_QUARTER)
#: The shares chart: the agreement's deadlines (B5, the færdigmeldinger's notice B5, C2–C4, B4/B9), then
#: readmissions (H).
SHARE_KEYS = (
    FigureKey.VARSLING_IN_TIME,
    FigureKey.FAERDIGMELDT_WITH_NOTICE,
    FigureKey.MEETINGS_IN_TIME,
    FigureKey.DISCHARGE_ANNOUNCED,
    FigureKey.READMISSIONS,
)
#: Short bar labels that fit beside a bar on a slide; the table and the tooltips carry the full label.
SHARE_LABELS = {
    FigureKey.VARSLING_IN_TIME: "Varsling i tide",
    FigureKey.FAERDIGMELDT_WITH_NOTICE: "Færdigmeldt efter varsling i tide",
    FigureKey.MEETINGS_IN_TIME: "Netværksmøde i tide",
    FigureKey.DISCHARGE_ANNOUNCED: "Udskrivningsdato meldt i tide",
    FigureKey.READMISSIONS: "Genindlagt inden 30 dage",
}


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """Fra/Til for a preset (both days included); an unknown preset is the last 12 months."""
    if preset == LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset == THIS_YEAR:
        return date(today.year, 1, 1), today
    if preset == LAST_QUARTER:
        first_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first_this - relativedelta(months=3), first_this - timedelta(days=1)
    return today - relativedelta(years=1) + timedelta(days=1), today


def day(d: date) -> str:
    return f"{d:%d-%m-%Y}"


def figure_value(figure: Figure) -> str:
    """The figure's value as shown: ``"12,5 %"``, ``"6,5 dage"``, ``"1.477"``, ``"8.147.048 kr."``."""
    value = figure.value
    if figure.unit is FigureUnit.SHARE:
        return format_share(None if value is None else float(value))
    if value is None:
        return "–"
    if figure.unit is FigureUnit.DAYS:
        return format_days(float(value))
    if figure.unit is FigureUnit.KRONER:
        return format_kroner(Decimal(value))
    return format_count(int(value))


def figure_basis(figure: Figure) -> str:
    """What the value is counted over: ``"254 af 411"`` for a share, the discharges behind a length of stay, the
    færdigmeldinger behind the notice median (B5)."""
    if figure.is_share:
        return f"{format_count(figure.numerator or 0)} af {format_count(figure.denominator or 0)}"
    count = format_count(len(figure.admission_ids))
    if figure.key in (FigureKey.STAY_MEDIAN, FigureKey.STAY_MEAN):
        return f"{count} udskrivninger"
    if figure.key in (FigureKey.BED_DAYS, FigureKey.BED_DAY_COST):
        return f"{count} indlæggelser"
    if figure.key is FigureKey.DISCHARGED_WITHOUT_PLAN:  # E1/E2: of the discharges that required a plan
        return f"af {format_count(figure.denominator or 0)} med krav"
    if figure.key is FigureKey.NOTICE_DAYS:
        return f"{format_count(figure.denominator or 0)} færdigmeldinger"
    return ""


def share_bars(stats: Statistics) -> tuple[list[Figure], list[Bar]]:
    """The shares on 0–100 %; a share with nothing measured is a grey bar saying so."""
    figures = [stats.figure(k) for k in SHARE_KEYS]
    bars = []
    for f in figures:
        measured = f.value is not None
        text = f"{figure_value(f)}  ({figure_basis(f)})" if measured else "ingen målinger"
        bars.append(
            Bar(
                f"{SHARE_LABELS[f.key]} ({f.rule_id})",
                float(f.value or 0) * 100,
                text,
                tooltip=f"{f.label}: {text}\n{f.definition}",
                muted=not measured,
            )
        )
    return figures, bars


def stay_bars(stats: Statistics) -> tuple[list[Bar], str]:
    """Length of stay: one bar per bucket (count and share of the discharges), and the subtitle."""
    bars = [
        Bar(b.label, b.count, f"{format_count(b.count)}  ({format_share(b.share)})") for b in stats.stay_distribution
    ]
    discharges = int(stats.figure(FigureKey.DISCHARGES).value or 0)
    median = figure_value(stats.figure(FigureKey.STAY_MEDIAN))
    return bars, f"{format_count(discharges)} udskrivninger i perioden · median {median}"


def cost_bars(stats: Statistics, top: int) -> tuple[list[tuple[str, tuple[int, ...]]], list[Bar], str]:
    """Færdigmeldte sengedage and betaling: the ``top`` kommuner by bed days, the rest as "Øvrige".

    Returns (name and færdigmeldte admission ids per bar, the bars, the subtitle).
    """
    ranked = sorted((k for k in stats.kommuner if k.bed_days), key=lambda k: (-k.bed_days, k.name))
    groups: list[tuple[str, tuple[int, ...]]] = []
    bars: list[Bar] = []
    for k in ranked[:top]:
        bars.append(Bar(k.name, k.bed_days, f"{format_count(k.bed_days)} dage · {format_kroner(k.cost)}"))
        groups.append((k.name, k.faerdigmeldt_ids))
    rest = ranked[top:]
    if rest:
        days = sum(k.bed_days for k in rest)
        cost = sum((k.cost for k in rest), Decimal(0))
        text = f"{format_count(days)} dage · {format_kroner(cost)}"
        bars.append(Bar(f"Øvrige ({len(rest)} kommuner)", days, text, muted=True))
        groups.append(("Øvrige kommuner", tuple(sorted({i for k in rest for i in k.faerdigmeldt_ids}))))
    shown = f"{min(len(ranked), top)} største" + (" + øvrige" if rest else "")
    total = stats.total
    return groups, bars, f"I alt {format_count(total.bed_days)} dage · {format_kroner(total.cost)} · {shown}"


def export_error_text(path: Path, exc: OSError) -> str:
    """Danish: why the export failed and what to do."""
    folder = path.parent
    no_access = (
        f"Du har ikke adgang til at gemme i mappen {folder}, eller filen er åben i et andet program (fx Excel). "
        "Luk filen, eller vælg en anden mappe."
    )
    reasons = {
        errno.ENOSPC: "Der er ikke plads nok på drevet. Frigør plads, eller gem et andet sted.",
        errno.EDQUOT: "Din kvote på drevet er brugt op. Frigør plads, eller gem et andet sted.",
        errno.EACCES: no_access,
        errno.EPERM: no_access,
        errno.EROFS: f"Mappen {folder} kan kun læses. Vælg en anden mappe.",
        errno.ENOENT: f"Mappen {folder} findes ikke. Vælg en anden mappe.",
        errno.EISDIR: f"{path} er en mappe. Skriv et filnavn.",
    }
    reason = reasons.get(exc.errno or 0, f"Filen kunne ikke skrives (fejlkode {exc.errno}).")
    unchanged = "Intet er skrevet; en tidligere fil med samme navn er uændret."
    return f"Statistikken blev ikke gemt i {path}.\n\n{reason}\n\n{unchanged}"
