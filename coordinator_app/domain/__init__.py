"""The domain: what the Samarbejdsaftale says, as plain Python.

The working-day calendar (``workdays``), the agreement's rules as data (``rules``), the scenario decision
(``scenarios``), the færdigmelding process (``process``), deadlines (``deadlines``), special groups, discharge
plans, netværksmøder, bed days and the statistics' measures, CPR numbers, roles (``access``), the audit chain's
hashing and the one error hierarchy (``errors``). Records are plain dataclasses (``model``).

It imports neither Qt, the database, reportlab, platform folders nor anything above it, reads no clock (dates
come in as arguments) and no environment; its modules import each other without cycles. The import-linter
contracts and ``tests/test_architecture.py`` keep it so.
"""
