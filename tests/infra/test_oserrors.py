"""``infra.oserrors``: the operating system's errors in Danish words, and names no file system takes (issue 18)."""

from __future__ import annotations

import errno
import os

import pytest

from coordinator_app.infra.oserrors import describe, path_problem


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOENT, "findes ikke"),
        (errno.EACCES, "ingen adgang"),
        (errno.EPERM, "ingen adgang"),
        (errno.EISDIR, "er en mappe"),
        (errno.ENAMETOOLONG, "navnet er for langt"),
        (errno.ENOSPC, "disken er fuld"),
        (errno.EROFS, "skrivebeskyttet"),
        (errno.ENOTDIR, "ikke en mappe"),
    ],
)
def test_an_os_error_is_described_in_danish(number: int, words: str) -> None:
    exc = OSError(number, os.strerror(number), "/tmp/x")
    assert describe(exc) == words or words in describe(exc)
    assert os.strerror(number) not in describe(exc)


def test_an_unknown_errno_gets_its_name_not_the_english_text() -> None:
    assert describe(OSError(errno.ENXIO + 1000, "Something in English")) == f"systemfejl {errno.ENXIO + 1000}"
    assert describe(OSError(errno.ECHILD, "No child processes")) == "systemfejl ECHILD"


def test_a_real_failure_is_described() -> None:
    with pytest.raises(OSError) as caught:
        open("/findes/ikke/fil.txt", "rb")  # noqa: SIM115
    assert describe(caught.value) == "findes ikke"
    with pytest.raises(ValueError) as null:
        os.stat("a\x00b")
    assert "NUL" in describe(null.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "tom"),
        ("   ", "tom"),
        ("a\x00b.db", "styretegn"),
        ("linje\nskift.db", "styretegn"),
        ("x" * 5000, "stien er for lang"),
        ("mappe/" + "n" * 256, "navnet er for langt"),
    ],
)
def test_names_no_file_system_takes(text: str, words: str) -> None:
    problem = path_problem(text)
    assert problem is not None and words in problem


@pytest.mark.parametrize("text", ["koordinator.db", "~/Dokumenter/afsnit 7.db", "n" * 255, "æøå/ÆØÅ.db"])
def test_ordinary_names_pass(text: str) -> None:
    assert path_problem(text) is None
