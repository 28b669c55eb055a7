"""Run by ``test_offline_checkin_kill.py``: hand in a laptop file to a ward and SIGKILL itself just before the
``kill_at``-th SQL statement this process sends (to either database), as a power cut would. Prints ``MERGED`` or
``ALREADY`` when it got to the end.

Usage: ``checkin_killer.py WARD_URL LAPTOP_FILE KILL_AT`` (the laptop file's passphrase in ``KOORDINATOR_PASSPHRASE``).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event


def main() -> int:
    ward_url, laptop, kill_at = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    sent = 0

    def count(*_args: Any) -> None:
        nonlocal sent
        sent += 1
        if sent == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", count)
    from coordinator_app.services.checkin import check_in
    from coordinator_app.services.context import ServiceContext
    from coordinator_app.storage.database import open_database

    ward = open_database(ward_url, must_exist=True)
    try:
        result = check_in(
            ServiceContext(database=ward, user="koordinator.test"), laptop, os.environ["KOORDINATOR_PASSPHRASE"]
        )
    finally:
        ward.dispose()
    print("MERGED" if result.merged else "ALREADY" if result.already else "CONFLICTS", sent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
