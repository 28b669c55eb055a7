"""``infra.files.write_atomically``: the file is all there with the asked permissions, or an earlier one is untouched
and no temporary file is left behind; the rename is made durable by flushing the folder."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from coordinator_app.infra import files
from coordinator_app.infra.files import write_atomically

posix_only = pytest.mark.skipif(os.name != "posix", reason="permission bits and folder fsync are POSIX")


def test_the_content_is_written_readable_by_the_user_only(tmp_path: Path) -> None:
    target = tmp_path / "eksport.pdf"
    write_atomically(target, b"%PDF-1.7 indhold")
    assert target.read_bytes() == b"%PDF-1.7 indhold"
    assert list(tmp_path.iterdir()) == [target]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix_only
def test_another_mode_is_given_to_the_new_file(tmp_path: Path) -> None:
    target = tmp_path / "invitation.ics"
    write_atomically(target, b"BEGIN:VCALENDAR", mode=0o644)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "statistik.csv"
    target.write_bytes(b"den gamle fil")
    write_atomically(target, b"den nye fil")
    assert target.read_bytes() == b"den nye fil"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failing_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "statistik.csv"
    target.write_bytes(b"den gamle fil")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_atomically(target, b"den nye fil")
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"den gamle fil"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failing_rename_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "statistik.xlsx"
    target.write_bytes(b"den gamle fil")

    def refused(_src: object, _dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(PermissionError):
        write_atomically(target, b"den nye fil")
    assert target.read_bytes() == b"den gamle fil"
    assert list(tmp_path.iterdir()) == [target]


def test_a_missing_folder_raises_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "findes-ikke" / "fil.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_the_file_and_then_its_folder_are_flushed_to_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        flushed.append("mappe" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fil")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write_atomically(tmp_path / "forbindelse.json", b"{}")
    assert flushed == ["fil", "mappe"]


def test_the_folder_is_not_flushed_where_the_os_has_no_folder_handles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []

    def no_handles(*args: object, **_kwargs: object) -> int:
        opened.append(args)
        raise AssertionError("a folder handle was opened")

    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "open", no_handles)
    files.fsync_folder(tmp_path)
    assert opened == []
