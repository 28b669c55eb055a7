"""Alias kept for code written before the domain got its own package: ``coordinator_app.scenarios`` is
``coordinator_app.domain.scenarios`` — the same module object, so names, signatures and monkeypatching agree."""

import sys

from coordinator_app.domain import scenarios

sys.modules[__name__] = scenarios
