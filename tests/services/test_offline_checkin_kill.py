"""A check-in killed (SIGKILL) at random statements leaves the ward's database untouched — or, killed after its
commit, fully merged — and a retry succeeds (issue 19), on SQLite and PostgreSQL wards.

The killer (``checkin_killer.py``) hands in a laptop file holding a day's offline work and kills itself just before
its N-th SQL statement to either database; N grows by a seeded random step until a run gets to the end, so the kills
fall while the file is opened, the journal read, rows inserted and updated, audit lines appended, the loan ended, the
commit sent and the file marked returned. After each kill the ward is compared with its state before the first.
``KOORDINATOR_CHECKIN_KILLS`` bounds the number of kills (default 60; about 15 fall before a run gets to the end).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.offline import PASSPHRASE, lend_a_case, offline_day
from helpers.ward import service_context
from sqlalchemy import select

from coordinator_app.domain.offline import LoanState
from coordinator_app.services.audit import AuditService
from coordinator_app.services.checkin import check_in
from coordinator_app.services.context import ServiceContext
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.journal import RETURNED_KEY
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.orm import Base

KILLER = Path(__file__).with_name("checkin_killer.py")
SEED = 20261207


def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.session() as session:
        return {t.name: [tuple(r) for r in session.execute(select(t))] for t in Base.metadata.sorted_tables}


def _state(url: str, loan_id: str) -> tuple[LoanState, dict[str, list[tuple[object, ...]]]]:
    ward = open_database(url, must_exist=True)
    try:
        with ward.session() as session:
            state = LoanRepository(session).get(loan_id).state
        return state, _dump(ward)
    finally:
        ward.dispose()


@pytest.mark.slow
def test_a_killed_check_in_leaves_the_ward_untouched_and_a_retry_succeeds(
    db_url: str, database: Database, tmp_path: Path
) -> None:
    ctx = service_context(database, user="koordinator.test")
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    before = _dump(database)
    database.dispose()
    env = {**os.environ, "KOORDINATOR_PASSPHRASE": PASSPHRASE}
    rng = random.Random(SEED)
    most = int(os.environ.get("KOORDINATOR_CHECKIN_KILLS", "60"))
    kill_at, kills, committed = rng.randint(1, 6), 0, False
    while kills < most:
        run = subprocess.run(
            [sys.executable, str(KILLER), db_url, str(lent.path), str(kill_at)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        if run.returncode == 0:
            assert run.stdout.startswith("MERGED"), run.stdout
            break
        assert run.returncode == -signal.SIGKILL, run.stderr
        kills += 1
        state, now = _state(db_url, lent.loan.loan_id)
        if state is LoanState.AFLEVERET:  # killed after the commit, while marking the file returned
            committed = True
            break
        assert state is LoanState.UDLAANT and now == before, f"killed at statement {kill_at}: the ward changed"
        kill_at += rng.randint(2, 12)
    assert kills >= 10, kills

    ward = open_database(db_url, must_exist=True)
    try:
        retry = check_in(ServiceContext(database=ward, user="koordinator.test"), lent.path, PASSPHRASE)
        assert retry.already  # merged by the run that got to the end (or committed before its kill)
        assert AuditService(ServiceContext(database=ward)).verify().ok
        with ward.session() as session:
            assert LoanRepository(session).get(lent.loan.loan_id).state is LoanState.AFLEVERET
        laptop = open_database(lent.path, passphrase=PASSPHRASE, must_exist=True)
        try:
            assert laptop.get_meta(RETURNED_KEY) or committed
        finally:
            laptop.dispose()
    finally:
        ward.dispose()
