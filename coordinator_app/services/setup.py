"""Reference data and the demo ward: what a database needs before the first screen."""

from __future__ import annotations

from dataclasses import dataclass

from coordinator_app.demo import generate_demo_ward
from coordinator_app.errors import KoordinatorError
from coordinator_app.reference import load_kommuner
from coordinator_app.services.context import ServiceContext
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    KommuneRepository,
    bulk_load,
    clear_all,
)

DEMO_META_KEY = "demo"


@dataclass(frozen=True)
class DemoSummary:
    patients: int
    admissions: int
    events: int


def ensure_reference_data(ctx: ServiceContext) -> None:
    """Load the 98 kommuner from ``resources/kommuner.csv`` into an empty database (editable later)."""
    with ctx.database.session() as session:
        repo = KommuneRepository(session)
        if not repo.all():
            repo.upsert_many(load_kommuner())


def is_demo(ctx: ServiceContext) -> bool:
    return ctx.database.get_meta(DEMO_META_KEY) == "1"


def load_demo_ward(ctx: ServiceContext, *, seed: int = 2026) -> DemoSummary:
    """Fill the database with a fresh demo ward as of today.

    Only an empty database or one that is already a demo database is touched: real data is never
    overwritten (issue 2).
    """
    with ctx.database.session() as session:
        has_data = AdmissionRepository(session).count() > 0
    if has_data and not is_demo(ctx):
        raise KoordinatorError(
            "Databasen indeholder rigtige patientdata, så demo-afdelingen indlæses ikke her. "
            "Start med en anden database (--database) for at se demoen."
        )
    ward = generate_demo_ward(ctx.clock.today(), seed=seed)
    with ctx.database.session() as session:
        clear_all(session)
        bulk_load(
            session,
            kommuner=ward.kommuner,
            patients=ward.patients,
            admissions=ward.admissions,
            events=ward.events,
        )
    ctx.database.set_meta(DEMO_META_KEY, "1")
    return DemoSummary(len(ward.patients), len(ward.admissions), len(ward.events))
