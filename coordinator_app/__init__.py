"""Koordinator — discharge coordination for Danish adult psychiatry (Samarbejdsaftalen 2022).

The packages, from the inside out (import-linter keeps the arrows pointing inward, see pyproject.toml):

- ``domain``: the agreement's rules, scenarios, the færdigmelding process, deadlines, the working-day calendar —
  plain Python: no Qt, no database, no files, no environment;
- ``infra``: where files and folders are (resources, the user's folders, a frozen bundle), logging set-up;
- ``storage`` (SQLAlchemy, Alembic), ``documents`` (reportlab PDFs) and ``demo`` (the practice ward): used by
- ``services``: the operations — open a session, check the role, call the domain, commit, return what changed;
  every way data leaves the program is one of them;
- ``ui``: Qt, in feature packages, calling services only;
- ``cli``: the command line, the entry point;
- ``lazy``: beneath everything, the one way a module is loaded late (``lazy_import``).

``coordinator_app.workdays`` and ``coordinator_app.scenarios`` are kept as aliases of their ``domain`` modules.
"""

__version__ = "0.1.0"
