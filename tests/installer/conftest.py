"""The built artefacts of ``make bundle`` (installer/build.sh), run as IT would run them.

The session fixture uses ``dist/`` as built (CI builds it in the background while the other tests run,
scripts/test.sh); when an artefact is missing or older than the sources, it builds them first, so
``pytest tests/installer`` alone works too. A missing or broken artefact fails a test; nothing is skipped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_helpers import Artefacts, build_if_stale, expected_artefacts


@pytest.fixture(scope="session")
def artefacts() -> Artefacts:
    built = expected_artefacts()
    build_if_stale(built)
    return built


@pytest.fixture(scope="session")
def extracted_deb(artefacts: Artefacts, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The .deb unpacked with ``dpkg-deb -x`` into a temporary root, as dpkg would install it."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(artefacts.deb), str(root)], check=True)
    yield root
