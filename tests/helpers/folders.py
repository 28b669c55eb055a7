"""A folder no file can be created in, for the tests of a refused target (``pdf -o``, ``ExportService``).

File permissions do not bind root, and the suite runs as root in some containers: there the folder is made
immutable with ``chattr +i`` (the test is skipped where even that is not possible); for anyone else ``chmod 0555``
suffices. Either is undone when the block ends, so pytest can remove the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import pytest


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` created and made read-only for the block (also against root); skip the test where it cannot be."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("root, and the file system cannot make a folder immutable (chattr +i)")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def read_only_folder_if_named(folder: Path, target: str) -> AbstractContextManager[object]:
    """``read_only_folder(folder)`` when ``target`` (relative to the folder's parent) lies in it, else nothing: only
    the read-only case can be skipped (root without ``chattr``), never the other refused targets beside it."""
    return read_only_folder(folder) if Path(target).parts[0] == folder.name else nullcontext()
