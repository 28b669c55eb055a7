"""Alias kept for code written before the domain got its own package: ``coordinator_app.workdays`` is
``coordinator_app.domain.workdays`` — the same module object, so names, signatures and monkeypatching agree."""

import sys

from coordinator_app.domain import workdays

sys.modules[__name__] = workdays
