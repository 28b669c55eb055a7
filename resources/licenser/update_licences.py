"""Regenerate the licence table and the combined licence texts of the libraries Koordinator bundles.

    .venv/bin/python resources/licenser/update_licences.py           # rewrite biblioteker.csv + tredjepartslicenser.txt
    .venv/bin/python resources/licenser/update_licences.py --check   # exit 1 when the table is out of date

"Bundled" = the ``[project] dependencies`` of pyproject.toml and, following the *installed* packages' metadata,
every runtime requirement they pull in on this platform (markers evaluated, extras only where asked for, so the
dev tools and the libraries' own test/doc extras are left out). Plus the pieces inside those wheels that the
About dialog should name on their own (the Python runtime, Qt, SQLCipher, the DejaVu fonts).

``tests/test_licences.py`` loads this file, so the test and the table agree on what "bundled" means.
"""

from __future__ import annotations

import csv
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TABLE = HERE / "biblioteker.csv"
#: The same versions for pip (scripts/setup.sh installs with them): a fresh clone gets exactly the listed libraries,
#: not a newer release of an unpinned indirect dependency that the table does not list.
CONSTRAINTS = HERE.parent.parent / "scripts" / "constraints.txt"
CONSTRAINTS_HEAD = "# Written by resources/licenser/update_licences.py: the runtime libraries at the listed versions.\n"
COMBINED = HERE / "tredjepartslicenser.txt"
COLUMNS = ("navn", "version", "licens", "hjemmeside")

#: SPDX expressions where the metadata has none (or names more than the app uses: Qt for Python is used under
#: LGPL-3.0-only, the first of its three licence options).
LICENCES = {
    "backports-tarfile": "MIT",
    "charset-normalizer": "MIT",
    "et-xmlfile": "MIT",
    "jaraco-classes": "MIT",
    "msoffcrypto-tool": "MIT",
    "olefile": "BSD-2-Clause",
    "openpyxl": "MIT",
    "pycryptodomex": "BSD-2-Clause AND Unlicense",
    "pypdfium2": "Apache-2.0 OR BSD-3-Clause (PDFium: BSD-3-Clause m.fl.)",
    "pyside6-essentials": "LGPL-3.0-only",
    "shiboken6": "LGPL-3.0-only",
    "python-dateutil": "Apache-2.0 AND BSD-3-Clause",
    "python-stdnum": "LGPL-2.1-or-later",
    "pyzipper": "MIT AND PSF-2.0",
    "reportlab": "BSD-3-Clause",
    "six": "MIT",
    "sqlcipher3": "Zlib",
    "tzdata": "Apache-2.0",
    "psycopg-binary": "LGPL-3.0-only (libpq: PostgreSQL)",
}
HOMEPAGES = {
    "lazy-importer": "https://pypi.org/project/lazy-importer/",
    "python-stdnum": "https://arthurdejong.org/python-stdnum/",
    "pyside6-essentials": "https://pyside.org",
    "shiboken6": "https://pyside.org",
}
#: Components inside the bundle that are not pip distributions of their own: (name, version, licence, homepage).
#: ``tests/test_licences.py`` checks their versions against the running Python, Qt and SQLCipher.
COMPONENTS = (
    ("Python", f"{sys.version_info.major}.{sys.version_info.minor}", "PSF-2.0", "https://www.python.org"),
    ("Qt", "", "LGPL-3.0-only", "https://www.qt.io"),
    ("SQLCipher", "", "BSD-3-Clause", "https://www.zetetic.net/sqlcipher/"),
    (
        "DejaVu-skrifttyper",
        "2.37",
        "Bitstream-Vera AND LicenseRef-DejaVu-public-domain",
        "https://dejavu-fonts.github.io/",
    ),
)


def _wanted(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": extra}) for extra in (extras or {""}))


def project_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The ``[project] dependencies`` as written in pyproject.toml (not the possibly stale egg-info)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return [Requirement(text) for text in data["project"]["dependencies"]]


def runtime_distributions(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, metadata.Distribution]:
    """Canonical name → installed distribution, for every runtime dependency and its runtime requirements.

    A requirement that is not installed raises ``metadata.PackageNotFoundError`` (the venv is incomplete)."""
    found: dict[str, metadata.Distribution] = {}
    extras_seen: dict[str, set[str]] = {}
    todo = [(req, set(req.extras)) for req in project_requirements(pyproject) if _wanted(req, set())]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if name in extras_seen and extras <= extras_seen[name]:
            continue
        extras_seen.setdefault(name, set()).update(extras)
        dist = found.get(name) or metadata.distribution(req.name)
        found[name] = dist
        for text in dist.requires or []:
            sub = Requirement(text)
            if _wanted(sub, extras):
                todo.append((sub, set(sub.extras)))
    return found


def _homepage(name: str, dist: metadata.Distribution) -> str:
    if name in HOMEPAGES:
        return HOMEPAGES[name]
    urls = {}
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in ("homepage", "home", "repository", "source", "github", "code", "documentation"):
        if label in urls:
            return urls[label]
    return dist.metadata.get("Home-page") or f"https://pypi.org/project/{name}/"


def _component_versions() -> dict[str, str]:
    import sqlcipher3
    from PySide6.QtCore import qVersion  # the Qt inside PySide6-Essentials

    connection = sqlcipher3.connect(":memory:")
    try:
        (cipher,) = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return {"Qt": qVersion(), "SQLCipher": cipher.split()[0]}


def table_rows() -> list[tuple[str, str, str, str]]:
    """The rows biblioteker.csv should have: the pip distributions (sorted, case-insensitive), then the components."""
    rows = []
    for name, dist in runtime_distributions().items():
        licence = LICENCES.get(name) or dist.metadata.get("License-Expression")
        if not licence:
            raise SystemExit(f"Ukendt licens for {name}: tilføj den i LICENCES i {Path(__file__).name}")
        rows.append((dist.metadata["Name"], dist.version, licence, _homepage(name, dist)))
    rows.sort(key=lambda row: row[0].casefold())
    versions = _component_versions()
    rows += [(name, version or versions[name], licence, url) for name, version, licence, url in COMPONENTS]
    return rows


def combined_texts(rows: list[tuple[str, str, str, str]]) -> str:
    """Every pip distribution's own licence files (with their copyright lines), one section per library."""
    parts = [
        "Licenser for de biblioteker, Koordinator indeholder\n"
        "==================================================\n\n"
        "Hvert afsnit herunder er bibliotekets egne licensfiler, som de følger med biblioteket.\n"
        "De fulde tekster til LGPL-3.0, GPL-3.0, LGPL-2.1, Apache-2.0 og PSF-2.0 ligger også som\n"
        "separate filer i samme mappe.\n"
    ]
    for name, version, licence, url in rows:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a component: its licence is one of the separate files
        files = sorted(
            (f for f in dist.files or () if ".dist-info" in str(f) and _is_licence(str(f))),
            key=str,
        )
        header = f"{name} {version} — {licence}\n{url}"
        parts.append(f"\n\n{'=' * 100}\n{header}\n{'=' * 100}\n")
        if not files:
            parts.append("(Biblioteket har ingen licensfil med; se licensen ovenfor og den separate tekst.)\n")
        for f in files:
            text = f.locate().read_text(encoding="utf-8", errors="replace").strip()
            parts.append(f"\n--- {Path(str(f)).name} ---\n\n{text}\n")
    return "".join(parts)


def _is_licence(path: str) -> bool:
    upper = path.upper()
    return any(word in upper for word in ("LICEN", "COPYING", "NOTICE")) or "/LICENSES/" in upper


def read_table(path: Path = TABLE) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [tuple(row) for row in reader]  # type: ignore[misc]


def main(argv: list[str]) -> int:
    rows = table_rows()
    if "--check" in argv:
        if read_table() != rows:
            print("biblioteker.csv er forældet: kør update_licences.py", file=sys.stderr)
            return 1
        return 0
    with TABLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    COMBINED.write_text(combined_texts(rows), encoding="utf-8")
    pins = [(d.metadata["Name"], d.version) for d in runtime_distributions().values()]
    pins.sort(key=lambda pin: pin[0].casefold())
    CONSTRAINTS.write_text(CONSTRAINTS_HEAD + "".join(f"{n}=={v}\n" for n, v in pins), encoding="utf-8")
    print(f"{len(rows)} biblioteker skrevet til {TABLE.name}, {COMBINED.name} og {CONSTRAINTS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
