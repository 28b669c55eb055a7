"""Render one sample of every document kind the demo ward issues to PNG (pages 1 and 2), to look at them.

The samples are the demo ward's own archived documents (synthetic patients): the seven varslingsblanket kinds, the
udskrivningsaftale, the koordinationsplan and the netværksmøde referat — read through the services as the app
opens them, then rendered with ``pdftoppm`` (poppler-utils).

Run: .venv/bin/python scripts/document_samples.py OUTDIR
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.database import open_database
from coordinator_app.services.registry import Services
from coordinator_app.services.setup import ensure_reference_data, load_demo_ward

MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)


def slug(title: str) -> str:
    """A file name from a document's title ("Varslingsblanket – i bero" → "varslingsblanket-i-bero")."""
    plain = title.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        plain = plain.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60]


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = ServiceContext(database=open_database(f"sqlite:///{tmp}/demo.db"), clock=fixed_clock(MOMENT))
        ensure_reference_data(ctx)
        load_demo_ward(ctx)
        services = Services(ctx)
        seen: dict[str, Path] = {}
        for row in services.admissions.list_rows(include_discharged=True):
            for document in services.documents.documents(row.admission_id):
                kind = document.kind if document.kind != "varslingsblanket" else document.title
                if kind in seen or document.id is None:
                    continue
                pdf = Path(tmp) / f"{slug(kind)}.pdf"
                pdf.write_bytes(services.documents.content(document.id))
                subprocess.run(
                    ["pdftoppm", "-r", "70", "-f", "1", "-l", "2", "-png", str(pdf), str(out / slug(kind))], check=True
                )
                seen[kind] = pdf
        ctx.database.dispose()
    for kind in sorted(seen):
        print(f"{kind}: {', '.join(p.name for p in sorted(out.glob(slug(kind) + '-*.png')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("document-samples")))
