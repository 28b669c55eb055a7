"""Hypothesis profiles for the suite.

``ci`` (the default, what ``make test`` runs) is derandomized: the same examples every run, no example database,
a deadline, shrinking bounded in time — the suite passes or fails for a reason, not by the seed. ``fuzz``
(``make fuzz``, ``KOORDINATOR_HYPOTHESIS_PROFILE=fuzz``) explores at random, keeps what it finds in
``.hypothesis/`` and shrinks as long as Hypothesis likes. A failure ``fuzz`` finds is added to its test as an
``@example`` and then holds in every ``make test``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from hypothesis import Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.internal.conjecture import engine as hypothesis_engine

PROFILE_ENV = "KOORDINATOR_HYPOTHESIS_PROFILE"
#: Shrinking a failure found under ``ci`` stops after this many seconds (Hypothesis' own bound is 300 s per
#: test, which once turned one failure into a 15-minute run); the failing example is reported either way.
#: The module constant is Hypothesis' own (its version is pinned in pyproject.toml); a test checks it exists.
CI_SHRINK_SECONDS = 20
HYPOTHESIS_SHRINK_SECONDS: int = hypothesis_engine.MAX_SHRINKING_SECONDS
#: Where ``fuzz`` keeps the examples it found. Named here because Hypothesis drops its default database when the
#: ``CI`` environment variable is set (as it is on the CI machine), and ``fuzz`` must keep what it finds there too.
FUZZ_EXAMPLES = Path(__file__).resolve().parents[2] / ".hypothesis" / "examples"


_registered = False


def register() -> None:
    """Register both profiles and load the one ``KOORDINATOR_HYPOTHESIS_PROFILE`` names (``ci`` if none), once per
    process: the root conftest calls it, and so does ``tests/domain/conftest.py`` for a run of the domain tests
    alone (``tests/test_architecture.py`` runs them without Qt or the database)."""
    global _registered
    if _registered:
        return
    _registered = True
    settings.register_profile(
        "ci",
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=5),  # generous: a loaded 2-core CI machine must not fail a correct test
        print_blob=True,
    )
    settings.register_profile(
        "fuzz",
        derandomize=False,
        database=DirectoryBasedExampleDatabase(FUZZ_EXAMPLES),
        max_examples=1_000,
        deadline=timedelta(seconds=10),
        print_blob=True,
        phases=tuple(Phase),
    )
    settings.load_profile(os.environ.get(PROFILE_ENV, "ci"))
    bound_shrinking()


def bound_shrinking() -> None:
    """Call once the profile is final (after a ``--hypothesis-profile`` option took effect)."""
    ci = settings.get_current_profile_name() == "ci"
    hypothesis_engine.MAX_SHRINKING_SECONDS = CI_SHRINK_SECONDS if ci else HYPOTHESIS_SHRINK_SECONDS
